package io.tunnelgate.tunnel;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * When a relay may splice ({@link Splice#possible}): only two epoll stream channels on one event loop,
 * both opened with {@link SpliceReads}, with nothing in their pipelines that works on bytes (a TLS
 * handler above all); everything else falls back to buffers.
 */
class SpliceTest {
    private EventLoopGroup epoll;
    private final List<Channel> channels = new ArrayList<>();

    @BeforeEach
    void start() {
        assumeTrue(Epoll.isAvailable(), "epoll is not available here");
        epoll = new MultiThreadIoEventLoopGroup(2, EpollIoHandler.newFactory());
    }

    @AfterEach
    void stop() {
        channels.forEach(ch -> ch.close().syncUninterruptibly());
        if (epoll != null) {
            epoll.shutdownGracefully(0, 5, SECONDS).syncUninterruptibly();
        }
    }

    private <C extends Channel> C registered(C ch, EventLoop loop) {
        channels.add(ch);
        loop.register(ch).syncUninterruptibly();
        return ch;
    }

    private Channel epollChannel(EventLoop loop) {
        return registered(SpliceReads.install(new EpollSocketChannel()), loop);
    }

    @Test
    void twoEpollChannelsOnOneLoopWithEmptyPipelinesSplice() {
        EventLoop loop = epoll.next();
        Channel a = epollChannel(loop);
        Channel b = epollChannel(loop);
        assertThat(Splice.possible(a, b)).isTrue();

        // the do-nothing handler a Bootstrap needs is no obstacle
        b.pipeline().addLast(new ChannelInboundHandlerAdapter());
        assertThat(Splice.possible(a, b)).isTrue();
    }

    @Test
    void aTlsHandlerOnEitherSideMeansBuffers() throws Exception {
        EventLoop loop = epoll.next();
        Channel a = epollChannel(loop);
        Channel b = epollChannel(loop);
        SslContext tls = SslContextBuilder.forClient().sslProvider(SslProvider.JDK).build();
        a.pipeline().addLast("tls", tls.newHandler(a.alloc()));
        assertThat(Splice.possible(a, b)).isFalse();
        assertThat(Splice.possible(b, a)).isFalse();
    }

    @Test
    void anyOtherHandlerMeansBuffers() {
        EventLoop loop = epoll.next();
        Channel a = epollChannel(loop);
        Channel b = epollChannel(loop);
        b.pipeline().addLast(new LineBasedFrameDecoder(80));
        assertThat(Splice.possible(a, b)).isFalse();
    }

    @Test
    void aChannelOpenedWithoutSpliceReadsMeansBuffers() {
        EventLoop loop = epoll.next();
        Channel a = epollChannel(loop);
        Channel plain = registered(new EpollSocketChannel(), loop);
        assertThat(Splice.possible(a, plain)).isFalse();
    }

    @Test
    void channelsOnTwoLoopsMeanBuffers() {
        Channel a = epollChannel(epoll.next());
        Channel b = epollChannel(epoll.next());
        assertThat(a.eventLoop()).isNotSameAs(b.eventLoop());
        assertThat(Splice.possible(a, b)).isFalse();
    }

    @Test
    void nioChannelsMeanBuffers() {
        EventLoopGroup nio = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            EventLoop loop = nio.next();
            Channel a = registered(SpliceReads.install(new NioSocketChannel()), loop);
            Channel b = registered(SpliceReads.install(new NioSocketChannel()), loop);
            assertThat(SpliceReads.of(a)).as("installed on epoll channels only").isNull();
            assertThat(Splice.possible(a, b)).isFalse();
        } finally {
            channels.forEach(ch -> ch.close().syncUninterruptibly());
            channels.clear();
            nio.shutdownGracefully(0, 5, SECONDS).syncUninterruptibly();
        }
    }
}
