package io.tunnelgate.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.tunnelgate.log.ErrorLog;
import io.tunnelgate.log.LogClock;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The {@link BodySink} contract for refused bodies, on the front alone (the streaming handler is
 * a stand-in): a chunked body past client_max_body_size ends in a failed last content caused by
 * {@link BodyTooLargeException}, a malformed chunk reaches the sink as a failed content, nothing
 * follows either, and the connection closes after the stream even if the sink would keep it.
 */
class StreamingBodyTest {
    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final List<HttpContent> received = new ArrayList<>();
    private Request streamed;
    private Exchange exchange;

    @AfterEach
    void release() {
        received.forEach(ReferenceCountUtil::release);
        channel.finishAndReleaseAll();
    }

    /** A front whose only location streams the body to a sink that records it. */
    private void front(long maxBody) throws io.tunnelgate.config.ConfigException {
        LogClock clock = new LogClock(System::currentTimeMillis, ZoneOffset.UTC);
        LevelConf level = new LevelConf(List.of(), ErrorLog.none(clock), true, ContentTypes.DEFAULT, List.of(),
                false, true, new RequestLimits(maxBody, 1000, 3_600_000L), List.of(), PreAccess.NONE, true);
        ContentHandler streaming = (req, ex) -> {
            streamed = req;
            exchange = ex;
            ex.stream(req, new BodySink() {
                @Override
                public void content(HttpContent content) {
                    received.add(content);
                }

                @Override
                public void clientGone() {
                }

                @Override
                public void clientWritabilityChanged(boolean writable) {
                }
            });
        };
        LocationConf location = new LocationConf(LocationConf.Match.PREFIX, "/", null, false, List.of(), AccessConf.NONE,
                streaming, level, Locations.NONE, null);
        ClientLimits limits = new ClientLimits(60_000, 75_000, 1024, 4, 8192);
        ServerConf server = new ServerConf(List.of("proxy.test"), List.of(), null, List.of(), AccessConf.NONE, streaming,
                Locations.of(List.of(location)), level, null, limits, null);
        Services services = new Services(null, null, null, clock, System::nanoTime, Runnable::run);
        ClientConnection conn = new ClientConnection(1, channel, new VirtualHosts(List.of(server), server), services);
        RequestDecoder decoder = new RequestDecoder(limits);
        channel.pipeline().addLast(decoder, new FrontendHandler(conn, decoder));
    }

    private void send(String text) {
        channel.writeInbound(channel.alloc().buffer().writeBytes(text.getBytes(StandardCharsets.ISO_8859_1)));
    }

    private static String text(HttpContent c) {
        ByteBuf b = c.content();
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    private static final String CHUNKED_HEAD =
            "POST /up HTTP/1.1\r\nHost: proxy.test\r\nTransfer-Encoding: chunked\r\n\r\n";

    @Test
    void chunkedBodyPastTheLimitEndsInBodyTooLarge() throws Exception {
        front(10);
        send(CHUNKED_HEAD + "6\r\nabcdef\r\n");
        send("6\r\nghijkl\r\n5\r\nmnopq\r\n0\r\n\r\nGET /next HTTP/1.1\r\nHost: proxy.test\r\n\r\n");
        assertThat(received).hasSize(2);
        assertThat(text(received.get(0))).isEqualTo("abcdef");
        HttpContent last = received.get(1);
        assertThat(last).isInstanceOf(LastHttpContent.class);
        assertThat(last.decoderResult().isFailure()).isTrue();
        assertThat(last.decoderResult().cause()).isInstanceOf(BodyTooLargeException.class);
        assertThat(((BodyTooLargeException) last.decoderResult().cause()).bytes()).isEqualTo(12);
        // the sink answers 413 and would keep the connection: the front closes it anyway
        exchange.streamDone(streamed, channel.newSucceededFuture(), false);
        channel.runPendingTasks();
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void bodyWithinTheLimitStreamsWhole() throws Exception {
        front(10);
        send(CHUNKED_HEAD + "5\r\nabcde\r\n5\r\nfghij\r\n0\r\n\r\n");
        assertThat(received).hasSize(3);
        assertThat(received.get(2)).isInstanceOf(LastHttpContent.class);
        assertThat(received.stream().allMatch(c -> c.decoderResult().isSuccess())).isTrue();
        exchange.streamDone(streamed, channel.newSucceededFuture(), false);
        channel.runPendingTasks();
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void malformedChunkReachesTheSinkAsAFailureAndCloses() throws Exception {
        front(0);
        send(CHUNKED_HEAD + "3\r\nabc\r\n");
        send("zz\r\nabc\r\n0\r\n\r\n");
        assertThat(received).hasSize(2);
        HttpContent last = received.get(1);
        assertThat(last).isInstanceOf(LastHttpContent.class);
        assertThat(last.decoderResult().isFailure()).isTrue();
        assertThat(last.decoderResult().cause()).isNotInstanceOf(BodyTooLargeException.class);
        exchange.streamDone(streamed, channel.newSucceededFuture(), false);
        channel.runPendingTasks();
        assertThat(channel.isOpen()).isFalse();
    }
}
