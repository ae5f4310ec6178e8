package io.tunnelgate.http;

import io.tunnelgate.config.SourcePos;

/**
 * Features a config uses that only the native transports have (IP_TRANSPARENT on epoll and
 * io_uring, not NIO), recorded while it loads and checked once the transport is known (the
 * {@code events} block may come later).
 */
public final class TransportNeeds {
    private String nativeFeature;
    private SourcePos nativePos;

    /** Records that the config needs a native transport (epoll or io_uring) for {@code feature}. */
    public void requireNative(String feature, SourcePos pos) {
        if (nativeFeature == null) {
            nativeFeature = feature;
            nativePos = pos;
        }
    }

    /** The first feature that needs a native transport, or null. */
    public String nativeFeature() {
        return nativeFeature;
    }

    public SourcePos nativePos() {
        return nativePos;
    }
}
