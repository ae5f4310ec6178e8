package io.tunnelgate.resolve;

import io.netty.channel.AddressedEnvelope;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponse;
import io.netty.resolver.dns.DnsNameResolver;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.FutureListener;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One lookup of one name, nginx's way ({@code ngx_resolve_name} / {@code ngx_resolver_process_a}):
 * <ul>
 *   <li>A and/or AAAA are asked of the same server; the lookup waits for both replies;</li>
 *   <li>an error RCODE in either reply fails the whole lookup with that code (A's first);</li>
 *   <li>otherwise all addresses of both replies form the answer; with none, a CNAME is followed by a new
 *       round of queries for its target (up to {@link NginxEngine#MAX_CNAME_HOPS}), else "Host not found";</li>
 *   <li>an unanswered query is re-sent to the next server every resend interval;</li>
 *   <li>the whole lookup, CNAME rounds included, fails with 110 at {@code resolver_timeout}.</li>
 * </ul>
 * Confined to the event loop; every response envelope is released in {@link #onReply}.
 */
final class NginxLookup {

    private final NginxEngine engine;
    private final DnsNameResolver dns;
    private final EventLoop loop;
    private final Promise<Answer> promise;
    private final List<DnsRecordType> types;
    private final List<Future<?>> inFlight = new ArrayList<>();

    private String name;
    private Reply[] replies;
    private int round;
    private int server;
    private long chainTtl = Long.MAX_VALUE;
    private ScheduledFuture<?> deadline;
    private ScheduledFuture<?> resendTimer;

    NginxLookup(NginxEngine engine, DnsNameResolver dns, EventLoop loop, Promise<Answer> promise) {
        this.engine = engine;
        this.dns = dns;
        this.loop = loop;
        this.promise = promise;
        this.types = engine.types();
    }

    /** Sends the first queries; must run on the loop. */
    void start(String firstName) {
        deadline = loop.schedule(() -> fail(ResolveException.TIMED_OUT), engine.timeoutNanos(),
                TimeUnit.NANOSECONDS);
        ask(firstName);
    }

    private void ask(String next) {
        name = next;
        replies = new Reply[types.size()];
        server = engine.nextServer();
        sendUnanswered();
    }

    private void sendUnanswered() {
        for (int i = 0; i < replies.length && !promise.isDone(); i++) {
            if (replies[i] == null) {
                send(i);
            }
        }
        if (!promise.isDone()) {
            resendTimer = loop.schedule(this::resend, engine.resendNanos(), TimeUnit.NANOSECONDS);
        }
    }

    /** nginx's resend handler: still unanswered, so ask the next server (earlier queries stay valid). */
    private void resend() {
        if (!promise.isDone()) {
            server++;
            sendUnanswered();
        }
    }

    private void send(int index) {
        DnsQuestion question;
        try {
            question = new DefaultDnsQuestion(name, types.get(index));
        } catch (IllegalArgumentException unencodable) {
            fail(ResolveException.HOST_NOT_FOUND);
            return;
        }
        int askedRound = round;
        InetSocketAddress to = engine.server(server);
        Future<AddressedEnvelope<DnsResponse, InetSocketAddress>> query = dns.query(to, question);
        inFlight.add(query);
        query.addListener((FutureListener<AddressedEnvelope<DnsResponse, InetSocketAddress>>) done ->
                onReply(index, askedRound, done));
    }

    private void onReply(int index, int askedRound,
                         Future<AddressedEnvelope<DnsResponse, InetSocketAddress>> done) {
        inFlight.remove(done);
        if (!done.isSuccess()) {
            // Cancelled by us, or the datagram could not be sent: the resend timer or the deadline decides.
            return;
        }
        AddressedEnvelope<DnsResponse, InetSocketAddress> envelope = done.getNow();
        try {
            if (promise.isDone() || askedRound != round || replies[index] != null) {
                return;
            }
            replies[index] = Reply.parse(envelope.content(), types.get(index), name);
        } finally {
            envelope.release();
        }
        for (Reply reply : replies) {
            if (reply == null) {
                return;
            }
        }
        decide();
    }

    private void decide() {
        long ttl = chainTtl;
        List<InetAddress> addresses = new ArrayList<>();
        String cname = null;
        for (Reply reply : replies) {
            if (reply.rcode() != 0) {
                fail(reply.rcode());
                return;
            }
            addresses.addAll(reply.addresses());
            ttl = Math.min(ttl, reply.ttl());
            cname = cname != null ? cname : reply.cname();
        }
        if (!addresses.isEmpty()) {
            promise.trySuccess(new Answer(addresses, ttl));
            finish();
        } else if (cname == null || round >= NginxEngine.MAX_CNAME_HOPS) {
            fail(ResolveException.HOST_NOT_FOUND);
        } else {
            round++;
            chainTtl = ttl;
            resendTimer.cancel(false);
            cancelQueries();
            ask(cname);
        }
    }

    private void fail(int code) {
        promise.tryFailure(new ResolveException(code));
        finish();
    }

    private void finish() {
        deadline.cancel(false);
        if (resendTimer != null) {
            resendTimer.cancel(false);
        }
        cancelQueries();
    }

    /** Cancelled queries drop their ids; a reply arriving later is released by Netty. */
    private void cancelQueries() {
        List<Future<?>> pending = new ArrayList<>(inFlight);
        inFlight.clear();
        for (Future<?> query : pending) {
            query.cancel(false);
        }
    }
}
