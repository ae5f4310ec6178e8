package io.tunnelgate.forward;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.util.ReferenceCountUtil;
import io.tunnelgate.http.Exchange;
import io.tunnelgate.http.Request;
import io.tunnelgate.http.RequestEnd;
import io.tunnelgate.log.LogLevel;
import io.tunnelgate.tunnel.Relay;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@code 101 Switching Protocols} from the upstream (WebSocket and any other {@code Upgrade}):
 * the 101 goes to the client, both HTTP codecs leave, and the two connections become a
 * {@link Relay}, the same one CONNECT tunnels use, idle-timed by {@code proxy_read_timeout} as
 * nginx times upgraded connections. Bytes either side sent right behind the heads are passed first.
 */
final class Upgrade {
    private final Request req;
    private final Exchange ex;
    private final ForwardConf conf;
    private final UpstreamConn conn;
    private final Channel client;
    private final List<ByteBuf> fromUpstream = new ArrayList<>(1);

    Upgrade(Request req, Exchange ex, ForwardConf conf, UpstreamConn conn, Channel client) {
        this.req = req;
        this.ex = ex;
        this.conf = conf;
        this.conn = conn;
        this.client = client;
    }

    /**
     * Writes the 101 and switches the connections over once the current read is done: the
     * upstream decoder is then idle (it passes later bytes through undecoded), so removing it
     * cannot cut a message it is still delivering.
     */
    void start(HttpResponse head) {
        ByteBuf bytes = ClientHead.encode(req, conf, head, false, false, true);
        req.status(101);
        req.addSent(bytes.readableBytes(), 0);
        client.write(bytes, client.voidPromise());
        client.eventLoop().execute(this::switchOver);
    }

    private void switchOver() {
        // what the decoder read past the head reaches upstreamBytes while it is removed
        conn.channel.pipeline().remove(conn.decoder);
        conn.channel.pipeline().remove(conn);
        // its counts were taken for $upstream_bytes_* at the 101; it would only stand in the relay's way
        conn.channel.pipeline().remove(conn.counter);
        conn.owner(null);
        Collector early = new Collector();
        ex.detach(early);
        client.pipeline().remove(early);
        for (ByteBuf b : fromUpstream) {
            req.addSent(b.readableBytes(), b.readableBytes());
            client.write(b, client.voidPromise());
        }
        fromUpstream.clear();
        client.flush();
        if (!conn.channel.isActive() || !client.isActive()) {
            early.bytes.forEach(ReferenceCountUtil::release);
            conn.channel.close();
            RequestEnd.logAndClose(req);
            return;
        }
        Relay.Events events = new Relay.Events() {
            @Override
            public void firstUpstreamByte(long nanos) {
            }

            @Override
            public void idleTimeout() {
                req.log(LogLevel.INFO, "upstream timed out (110: Connection timed out) while proxying upgraded connection");
            }
        };
        Relay relay = new Relay(req, client, conn.channel, conf.readMillis(), false, conf.relaySplice(), events);
        relay.start(early.bytes, false);
    }

    /** Bytes the upstream sent behind the 101 head, read by the decoder before it left. */
    void upstreamBytes(ByteBuf buf) {
        fromUpstream.add(buf);
    }

    /** Takes the client's bytes that came behind the request head while the front leaves. */
    private static final class Collector extends ChannelInboundHandlerAdapter {
        final List<ByteBuf> bytes = new ArrayList<>(1);

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof ByteBuf b && b.isReadable()) {
                bytes.add(b);
            } else {
                ReferenceCountUtil.release(msg);
            }
        }
    }
}
