package io.tunnelgate.tunnel;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import io.tunnelgate.http.Addresses;
import io.tunnelgate.http.ConnectionBudget;
import io.tunnelgate.http.IoErrors;
import io.tunnelgate.http.ProxyError;
import io.tunnelgate.http.ProxyGuard;
import io.tunnelgate.http.Request;
import io.tunnelgate.http.RequestEnd;
import io.tunnelgate.http.Responses;
import io.tunnelgate.log.LogLevel;
import io.tunnelgate.resolve.NameResolver;
import io.tunnelgate.resolve.ResolveException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The client connection's handler while a CONNECT resolves and connects (spec §3.5-3.8). It keeps
 * the bytes the client sends ahead of the 200 (a TLS ClientHello, say) so they reach the upstream
 * first, notices a client that goes away (499), and on success hands both connections to a
 * {@link Tunnel}.
 */
final class ConnectPhase extends ChannelInboundHandlerAdapter {
    /** Most bytes kept from an eager client before reading from it pauses. */
    static final int PENDING_LIMIT = 64 * 1024;

    /** Where the set-up is. */
    enum State {
        /** Waiting for the resolver. */
        RESOLVING,
        /** Waiting for the upstream TCP handshake. */
        CONNECTING,
        /** Connected; the tunnel owns both connections now. */
        ESTABLISHED,
        /** Resolve or connect failed; an error page is on its way and the connection closes. */
        FAILED,
        /** The client went away first (499). */
        ABORTED
    }

    private final Request req;
    private final ConnectContext cc;
    private final TunnelConf conf;
    private final Channel client;
    private final List<ByteBuf> pending = new ArrayList<>(2);
    private int pendingBytes;
    private boolean clientFin;
    private State state = State.RESOLVING;
    private Channel upstream;
    private InetSocketAddress local;
    private ChannelHandlerContext ctx;
    /** The connect timeout while the upstream handshake runs; null before and after. */
    private ScheduledFuture<?> connectTimer;
    private boolean timedOut;
    /** The do-nothing handler Bootstrap requires, removed from the upstream when the tunnel starts. */
    private final ChannelHandler placeholder = new ChannelInboundHandlerAdapter();

    ConnectPhase(Request req, ConnectContext cc, TunnelConf conf) {
        this.req = req;
        this.cc = cc;
        this.conf = conf;
        this.client = req.connection().channel();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    /** Connects to a literal address at once, or resolves the name first. */
    void start(TargetSpec target) {
        if (target.literal() != null) {
            cc.resolveDoneNanos = cc.handlerStartNanos;
            connectAllowed(List.of(target.literal()), target.port());
            return;
        }
        NameResolver resolver = req.connection().services().resolvers().resolver(conf.resolver(), client.eventLoop());
        resolver.resolveAll(target.name())
                .addListener((Future<List<InetAddress>> f) -> onResolved(f, target.name(), target.port()));
    }

    private void onResolved(Future<List<InetAddress>> f, String host, int port) {
        if (state != State.RESOLVING) {
            return;
        }
        if (!f.isSuccess()) {
            String why = f.cause() instanceof ResolveException re ? re.getMessage() : "2: Server failure";
            String message = host + " could not be resolved (" + why + ")";
            ConnectHandler.error(req, "proxy_connect: " + message);
            conf.guard().fail(req, ConnectErrors.dnsStatus(f.cause(), message));
            fail(502);
            return;
        }
        cc.resolveDoneNanos = now();
        connectAllowed(f.getNow(), port);
    }

    /**
     * Dials one of the addresses at random, as nginx does, leaving out those the destination policy
     * denies: each is checked right before it would be dialled, so the address checked is the
     * address dialled. When all are denied the answer is 403, and {@code $connect_addr} shows the
     * last one denied.
     */
    private void connectAllowed(List<InetAddress> addresses, int port) {
        List<InetAddress> order = new ArrayList<>(addresses);
        Collections.shuffle(order, ThreadLocalRandom.current());
        for (InetAddress address : order) {
            InetSocketAddress peer = new InetSocketAddress(address, port);
            cc.connectAddr = Addresses.text(peer);
            if (!conf.guard().addressDenied(req, peer)) {
                connect(peer);
                return;
            }
        }
        conf.guard().fail(req, ProxyGuard.ADDRESS_DENIED);
        fail(403);
    }

    private void connect(InetSocketAddress peer) {
        state = State.CONNECTING;
        InetAddress address = peer.getAddress();
        local = BindAddresses.local(req, conf.bind());
        if (local != null && local.getAddress().getClass() != address.getClass()) {
            // nginx opens the socket in the peer's family, so a bind of the other family fails
            // there (the module's issue 147); Netty would open it in the bind's family instead
            bindFailed(address instanceof Inet4Address ? "97: Address family not supported by protocol"
                    : "22: Invalid argument");
            return;
        }
        ConnectionBudget budget = req.connection().services().budget();
        if (!budget.tryAcquire()) {
            String message = budget.limit() + " worker_connections are not enough while connecting to upstream";
            ConnectHandler.error(req, "proxy_connect: " + message);
            conf.guard().fail(req, ProxyError.CONNECTION_LIMIT_REACHED, message);
            fail(500);
            return;
        }
        cc.connectStartNanos = now();
        Bootstrap b = req.connection().services().upstreamChannels().bootstrap(client.eventLoop(), address)
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
                // the connect timeout is ours (connectTimedOut): Netty's keeps its cancelled task
                // referenced from the channel for the channel's life, 80 bytes per idle tunnel
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 0)
                .handler(placeholder);
        if (local != null && conf.bind().transparent()) {
            // one option for both native transports: it is named "IP_TRANSPARENT" in Netty's
            // shared pool, so IoUringChannelOption.IP_TRANSPARENT is this same constant
            b.option(EpollChannelOption.IP_TRANSPARENT, true);
        }
        ChannelFuture f = local == null ? b.connect(peer) : b.connect(peer, local);
        upstream = f.channel();
        upstream.closeFuture().addListener(x -> budget.release());
        if (cc.connectTimeoutMillis > 0 && !f.isDone()) {
            connectTimer = client.eventLoop().schedule(this::connectTimedOut, cc.connectTimeoutMillis,
                    TimeUnit.MILLISECONDS);
        }
        f.addListener(this::onConnected);
    }

    /** proxy_connect_connect_timeout: closing the channel fails the connect, which reports a timeout. */
    private void connectTimedOut() {
        connectTimer = null;
        if (state == State.CONNECTING && !upstream.isActive()) {
            timedOut = true;
            upstream.close();
        }
    }

    private void onConnected(Future<? super Void> f) {
        if (connectTimer != null) {
            connectTimer.cancel(false);
            connectTimer = null;
        }
        if (state != State.CONNECTING) {
            upstream.close();
            return;
        }
        if (f.isSuccess()) {
            establish();
            return;
        }
        Throwable bindFailure = local == null ? null : BindAddresses.bindFailure(f.cause());
        if (bindFailure != null) {
            bindFailed(ConnectErrors.describe(bindFailure));
        } else if (timedOut) {
            ConnectHandler.error(req, "proxy_connect: upstream connect timed out (peer:" + cc.connectAddr
                    + ") while connecting to upstream");
            conf.guard().fail(req, ProxyError.CONNECTION_TIMEOUT, "upstream connect timed out");
            fail(504);
        } else {
            String message = "upstream connect failed (" + ConnectErrors.describe(f.cause()) + ")";
            ConnectHandler.error(req, "proxy_connect: " + message + " while connecting to upstream");
            conf.guard().fail(req, ConnectErrors.proxyError(f.cause()), message);
            fail(502);
        }
    }

    /** A local bind or socket error: nginx's crit line (the address without a port when none was given), 500. */
    private void bindFailed(String error) {
        String message = "bind(" + Addresses.text(local).replaceFirst(":0$", "") + ") failed (" + error + ")";
        req.log(LogLevel.CRIT, message + " while connecting to upstream");
        conf.guard().fail(req, ProxyError.PROXY_INTERNAL_ERROR, message);
        fail(500);
    }

    private void establish() {
        state = State.ESTABLISHED;
        cc.connectedNanos = now();
        List<ByteBuf> early = new ArrayList<>(pending);
        pending.clear();
        // the handler Bootstrap insists on has done its part; the relay's handler will be alone
        upstream.pipeline().remove(placeholder);
        new Tunnel(req, cc, conf, client, upstream).start(this, early, clientFin);
    }

    private void fail(int status) {
        state = State.FAILED;
        releasePending();
        RequestEnd.sendAndClose(req, Responses.error(req, status, true));
    }

    // client events while setting up

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf buf && buf.isReadable() && state.compareTo(State.ESTABLISHED) < 0) {
            pending.add(buf);
            pendingBytes += buf.readableBytes();
            if (pendingBytes >= PENDING_LIMIT) {
                client.config().setAutoRead(false);
            }
            return;
        }
        // the decoder's empty LastHttpContent, or bytes after a failure
        ReferenceCountUtil.release(msg);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            if (conf.halfClose()) {
                // passed on once the tunnel exists
                clientFin = true;
            } else {
                abort();
            }
        }
        ReferenceCountUtil.release(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        abort();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        // removed on a failure's close or the tunnel's start; kept bytes are owned here until then
        releasePending();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        IoErrors.log(req.connection(), req, cause);
        abort();
    }

    /** The client closed before the tunnel existed: nothing is sent, the request logs 499. */
    private void abort() {
        if (state != State.RESOLVING && state != State.CONNECTING) {
            return;
        }
        boolean connecting = state == State.CONNECTING;
        state = State.ABORTED;
        ConnectHandler.info(req, "proxy_connect: client prematurely closed connection"
                + (connecting ? ", so upstream connection is closed too" : ""));
        if (upstream != null) {
            upstream.close();
        }
        releasePending();
        req.status(499);
        RequestEnd.logAndClose(req);
    }

    private void releasePending() {
        for (ByteBuf b : pending) {
            ReferenceCountUtil.release(b);
        }
        pending.clear();
        pendingBytes = 0;
    }

    private long now() {
        return req.connection().services().nanoTime().getAsLong();
    }
}
