package io.tunnelgate.http;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;

/**
 * The exchange of a benchmark request: the benchmarks only prepare well-formed requests, so
 * anything that would answer one is a broken benchmark and fails loudly.
 */
enum RefusingExchange implements Exchange {
    INSTANCE;

    @Override
    public void send(Request request, Response response) {
        response.bytes().release();
        throw refused("send " + response.status());
    }

    @Override
    public void sendError(Request request, int status) {
        throw refused("error " + status);
    }

    @Override
    public void sendRedirect(Request request, int status, String location) {
        throw refused("redirect " + status);
    }

    @Override
    public void internalRedirect(Request request, String uri, String args) {
        throw refused("internal redirect");
    }

    @Override
    public void sendFile(Request request, FileResponse response) {
        throw refused("file");
    }

    @Override
    public void closeWithoutResponse(Request request, int status) {
        throw refused("close " + status);
    }

    @Override
    public void detach(ChannelHandler replacement) {
        throw refused("detach");
    }

    @Override
    public void stream(Request request, BodySink sink) {
        throw refused("stream");
    }

    @Override
    public void streamDone(Request request, ChannelFuture lastWrite, boolean close) {
        throw refused("stream done");
    }

    private static IllegalStateException refused(String what) {
        return new IllegalStateException("a benchmark request was answered: " + what);
    }
}
