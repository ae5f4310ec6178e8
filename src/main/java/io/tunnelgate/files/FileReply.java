package io.tunnelgate.files;

import io.netty.channel.DefaultFileRegion;
import io.netty.handler.codec.http.HttpMethod;
import io.tunnelgate.http.Exchange;
import io.tunnelgate.http.FileResponse;
import io.tunnelgate.http.Request;
import io.tunnelgate.http.Response;
import io.tunnelgate.http.ResponseHead;

/**
 * Answers with an open file, on the event loop, with nginx's headers: {@code Content-Type} from
 * {@code types}/{@code default_type}, {@code Content-Length}, {@code Last-Modified},
 * {@code Connection}, {@code ETag} ({@code "mtime-size"} in hex) and {@code Accept-Ranges}; or
 * 304, 412, 206 and 416 when the request's conditions and range say so. The body is a file region
 * (sendfile); HEAD, empty files and bodiless answers close the file on the blocking pool instead.
 *
 * <p>When an {@code error_page} led here the page goes out with the error's status, without
 * conditions, ranges and Last-Modified, as nginx's filters skip anything but 200.
 */
final class FileReply {
    private FileReply() {
    }

    static void send(Request req, Exchange ex, FileProbe.Result file) {
        int status = req.finalStatus(200);
        long size = file.size();
        long mtime = file.mtime();
        String etag = "\"" + Long.toHexString(mtime) + "-" + Long.toHexString(size) + "\"";
        ByteRanges.Choice range = ByteRanges.WHOLE;
        if (status == 200) {
            range = conditionsAndRange(req, ex, file, etag);
            if (range == null) {
                return;
            }
        }
        boolean partial = range != ByteRanges.WHOLE;
        long start = partial ? range.start() : 0;
        long length = partial ? range.end() - range.start() : size;
        ResponseHead head = ResponseHead.of(req, partial ? 206 : status)
                .contentType(req.level().types().forUri(req.uri()))
                .contentLength(length)
                .lastModified(mtime)
                .header("ETag", etag);
        if (partial) {
            head.header("Content-Range", "bytes " + start + "-" + (range.end() - 1) + "/" + size);
        } else if (status == 200) {
            head.header("Accept-Ranges", "bytes");
        }
        boolean close = !req.keepAlive();
        if (HttpMethod.HEAD.equals(req.method()) || length == 0) {
            StaticHandler.closeLater(req, file.channel());
            ex.send(req, new Response(head.encode(close, 0), head.status(), 0, close));
            return;
        }
        ex.sendFile(req, new FileResponse(head.encode(close, 0),
                new DefaultFileRegion(file.channel(), start, length), head.status(), close));
    }

    /**
     * The not-modified and range filters of a 200: the part of the file to send, or null when the
     * request was answered here (304, 412, 416) and the file closed.
     */
    private static ByteRanges.Choice conditionsAndRange(Request req, Exchange ex, FileProbe.Result file,
                                                        String etag) {
        Conditional.Outcome cond = Conditional.check(req.headers(), file.mtime(), etag);
        if (cond == Conditional.Outcome.NOT_MODIFIED) {
            StaticHandler.closeLater(req, file.channel());
            ResponseHead head = ResponseHead.of(req, 304).lastModified(file.mtime()).header("ETag", etag);
            boolean close = !req.keepAlive();
            ex.send(req, new Response(head.encode(close, 0), 304, 0, close));
            return null;
        }
        if (cond == Conditional.Outcome.PRECONDITION_FAILED) {
            StaticHandler.closeLater(req, file.channel());
            ex.sendError(req, 412);
            return null;
        }
        ByteRanges.Choice range = ByteRanges.choose(req.headers(), file.size(), file.mtime(), etag);
        if (range == ByteRanges.UNSATISFIABLE) {
            StaticHandler.closeLater(req, file.channel());
            req.addOutHeader("Content-Range", "bytes */" + file.size());
            ex.sendError(req, 416);
            return null;
        }
        return range;
    }
}
