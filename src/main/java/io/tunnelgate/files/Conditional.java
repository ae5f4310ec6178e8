package io.tunnelgate.files;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;

/**
 * nginx's not-modified filter for a file about to be sent with 200: {@code If-Unmodified-Since}
 * and {@code If-Match} can fail the request (412); {@code If-Modified-Since} (equal time only, as
 * nginx's default {@code if_modified_since exact}) and {@code If-None-Match} can make it a 304.
 */
final class Conditional {
    /** What the request's conditions say. */
    enum Outcome {
        /** Send the file. */
        SEND,
        /** 304: the client's copy is current. */
        NOT_MODIFIED,
        /** 412: a precondition failed. */
        PRECONDITION_FAILED
    }

    private Conditional() {
    }

    /**
     * @param mtime the file's modification time, epoch seconds
     * @param etag the file's entity tag, quoted
     */
    static Outcome check(HttpHeaders h, long mtime, String etag) {
        String ius = h.get(HttpHeaderNames.IF_UNMODIFIED_SINCE);
        if (ius != null && HttpDates.parse(ius) < mtime) {
            return Outcome.PRECONDITION_FAILED;
        }
        String im = h.get(HttpHeaderNames.IF_MATCH);
        if (im != null && !matches(im, etag, false)) {
            return Outcome.PRECONDITION_FAILED;
        }
        String ims = h.get(HttpHeaderNames.IF_MODIFIED_SINCE);
        String inm = h.get(HttpHeaderNames.IF_NONE_MATCH);
        if (ims == null && inm == null) {
            return Outcome.SEND;
        }
        if (ims != null && HttpDates.parse(ims) != mtime) {
            return Outcome.SEND;
        }
        if (inm != null && !matches(inm, etag, true)) {
            return Outcome.SEND;
        }
        return Outcome.NOT_MODIFIED;
    }

    /**
     * Whether a list of entity tags names {@code etag} ({@code *} names any); with {@code weak},
     * a {@code W/} prefix on either side is ignored.
     */
    static boolean matches(String list, String etag, boolean weak) {
        if (list.equals("*")) {
            return true;
        }
        String own = weak && etag.startsWith("W/") ? etag.substring(2) : etag;
        for (String item : list.split(",")) {
            String tag = item.strip();
            if (weak && tag.startsWith("W/")) {
                tag = tag.substring(2);
            }
            if (tag.equals(own)) {
                return true;
            }
        }
        return false;
    }
}
