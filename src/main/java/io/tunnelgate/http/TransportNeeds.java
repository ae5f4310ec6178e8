package io.tunnelgate.http;

import io.tunnelgate.config.SourcePos;

/**
 * Features a config uses that only one transport has (IP_TRANSPARENT on epoll), recorded while
 * it loads and checked once the transport is known (the {@code events} block may come later).
 */
public final class TransportNeeds {
    private String epollFeature;
    private SourcePos epollPos;

    /** Records that the config needs the epoll transport for {@code feature}. */
    public void requireEpoll(String feature, SourcePos pos) {
        if (epollFeature == null) {
            epollFeature = feature;
            epollPos = pos;
        }
    }

    /** The first feature that needs epoll, or null. */
    public String epollFeature() {
        return epollFeature;
    }

    public SourcePos epollPos() {
        return epollPos;
    }
}
