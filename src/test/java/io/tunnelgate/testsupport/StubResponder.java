package io.tunnelgate.testsupport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsResponse;
import io.netty.handler.codec.dns.DefaultDnsResponse;
import io.netty.handler.codec.dns.DnsOpCode;
import io.netty.handler.codec.dns.DnsQuery;
import io.netty.handler.codec.dns.DnsResponse;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The query side of a {@link StubDnsServer}: counts each question, then answers it now, later (held) or
 * never (dropped). Decoded queries are released by {@link SimpleChannelInboundHandler}; only plain values
 * travel into held answers.
 */
final class StubResponder {

    private final Map<String, StubZone.Entry> zone;
    private final ConcurrentHashMap<String, AtomicInteger> counts = new ConcurrentHashMap<>();

    StubResponder(Map<String, StubZone.Entry> zone) {
        this.zone = zone;
    }

    /** Count key of a (name, type, transport). */
    static String countKey(String name, String type, boolean overTcp) {
        return name + "|" + type + (overTcp ? "|tcp" : "|udp");
    }

    Map<String, AtomicInteger> counts() {
        return counts;
    }

    ChannelHandler udpHandler() {
        return new SimpleChannelInboundHandler<DatagramDnsQuery>() {
            @Override
            protected void channelRead0(ChannelHandlerContext ctx, DatagramDnsQuery query) {
                StubZone.Question question = StubZone.Question.of(query);
                if (question != null) {
                    InetSocketAddress self = query.recipient();
                    InetSocketAddress client = query.sender();
                    receive(question, false, ctx.channel(),
                            () -> new DatagramDnsResponse(self, client, question.id(), DnsOpCode.QUERY));
                }
            }
        };
    }

    ChannelHandler tcpHandler() {
        return new SimpleChannelInboundHandler<DnsQuery>() {
            @Override
            protected void channelRead0(ChannelHandlerContext ctx, DnsQuery query) {
                StubZone.Question question = StubZone.Question.of(query);
                if (question != null) {
                    receive(question, true, ctx.channel(),
                            () -> new DefaultDnsResponse(question.id(), DnsOpCode.QUERY));
                }
            }
        };
    }

    private void receive(StubZone.Question question, boolean overTcp, Channel channel,
                         Supplier<DnsResponse> newResponse) {
        counts.computeIfAbsent(countKey(question.name(), question.type().name(), overTcp),
                k -> new AtomicInteger()).incrementAndGet();
        StubZone.Entry entry = zone.getOrDefault(question.name(), StubZone.Entry.EMPTY);
        if (entry.drop()) {
            return;
        }
        if (entry.hold() != null && !entry.hold().isDone()) {
            entry.hold().whenComplete((ignored, alsoIgnored) -> channel.eventLoop().execute(
                    () -> answer(question, overTcp, channel, newResponse)));
            return;
        }
        answer(question, overTcp, channel, newResponse);
    }

    private void answer(StubZone.Question question, boolean overTcp, Channel channel,
                        Supplier<DnsResponse> newResponse) {
        DnsResponse response = newResponse.get();
        new StubZone(zone).fill(response, question, overTcp);
        // A failed write releases the response; a broken TCP connection is closed, the UDP socket stays.
        ChannelFuture written = channel.writeAndFlush(response);
        if (overTcp) {
            written.addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        }
    }
}
