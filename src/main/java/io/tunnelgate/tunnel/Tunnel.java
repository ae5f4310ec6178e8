package io.tunnelgate.tunnel;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.tunnelgate.http.Request;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The CONNECT side of an established tunnel: the established response in one write, then a
 * {@link Relay} with the module's data timeout and first-byte timing (spec §3.7, §3.8).
 */
final class Tunnel implements Relay.Events {
    private final Request req;
    private final ConnectContext cc;
    private final TunnelConf conf;
    private final Channel client;
    private final Channel upstream;

    Tunnel(Request req, ConnectContext cc, TunnelConf conf, Channel client, Channel upstream) {
        this.req = req;
        this.cc = cc;
        this.conf = conf;
        this.client = client;
        this.upstream = upstream;
    }

    /**
     * Removes the connect phase, writes the established response in one write, and starts the
     * relay, which sends the client's early bytes upstream first.
     */
    void start(ChannelHandler phase, List<ByteBuf> early, boolean clientFinished) {
        client.pipeline().remove(phase);
        // the directive, evaluated now that $connect_addr is known, wins over the variable (spec §1.6)
        String bytes = conf.response() == null ? "" : conf.response().evaluate(req);
        if (bytes.isEmpty()) {
            bytes = cc.response;
        }
        byte[] response = bytes.getBytes(StandardCharsets.ISO_8859_1);
        cc.response = "";
        req.status(200);
        req.addSent(response.length, response.length);
        Relay relay = new Relay(req, client, upstream, cc.dataTimeoutMillis, conf.halfClose(), conf.spliceAfter(), this);
        client.writeAndFlush(Unpooled.wrappedBuffer(response)).addListener(f -> {
            if (!f.isSuccess()) {
                relay.close();
            }
        });
        relay.start(early, clientFinished);
    }

    @Override
    public void firstUpstreamByte(long nanos) {
        cc.firstByteNanos = nanos;
    }

    @Override
    public void idleTimeout() {
        ConnectHandler.info(req, "proxy_connect: connection timed out (110: Connection timed out) "
                + "while proxying connection");
    }
}
