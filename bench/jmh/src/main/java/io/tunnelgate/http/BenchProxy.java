package io.tunnelgate.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.ReferenceCountUtil;
import io.tunnelgate.config.ConfigReader;
import io.tunnelgate.log.LogClock;
import io.tunnelgate.log.LogWriter;
import io.tunnelgate.server.Configs;
import io.tunnelgate.server.ProxyConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;

/**
 * One client connection of a proxy loaded from a config text the way the proxy loads one
 * ({@link Configs#load}), with requests decoded and prepared the way {@link FrontendHandler} and
 * {@link RequestProcessor} do it: the state the benchmarks measure against. Nothing is bound and
 * nothing is dialled; the connection is an {@link EmbeddedChannel} that reports loopback addresses.
 */
public final class BenchProxy implements AutoCloseable {
    /** The config of the benchmarks: the module's usual CONNECT server plus a forwarding location. */
    public static final String CONFIG = """
            events { worker_connections 1024; }
            http {
                access_log off;
                server {
                    listen 127.0.0.1:3128;
                    server_name proxy.example;
                    proxy_connect;
                    proxy_connect_allow 443 563;
                    proxy_connect_connect_timeout 10s;
                    proxy_connect_data_timeout 60s;
                    location / { proxy_pass http://$host; }
                }
            }
            """;

    /** What curl sends for {@code curl -x proxy https://example.com/}. */
    public static final String CONNECT_HEAD = "CONNECT example.com:443 HTTP/1.1\r\n"
            + "Host: example.com:443\r\n"
            + "User-Agent: curl/8.5.0\r\n"
            + "Proxy-Connection: Keep-Alive\r\n"
            + "\r\n";

    /** A browser's plain-HTTP request through a proxy: absolute form, nine header lines. */
    public static final String GET_HEAD = "GET http://example.com/articles/2024/index.html?lang=en&page=2 HTTP/1.1\r\n"
            + "Host: example.com\r\n"
            + "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0\r\n"
            + "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\n"
            + "Accept-Language: en-US,en;q=0.5\r\n"
            + "Accept-Encoding: gzip, deflate\r\n"
            + "Referer: http://example.com/articles/\r\n"
            + "Cookie: session=4f2a9c1e7b; theme=dark\r\n"
            + "Upgrade-Insecure-Requests: 1\r\n"
            + "Proxy-Connection: keep-alive\r\n"
            + "\r\n";

    private final Path dir;
    private final LogWriter writer;
    private final EmbeddedChannel channel;
    private final ClientConnection connection;
    private final RequestDecoder decoder;
    private final LastHead sink = new LastHead();

    private BenchProxy(Path dir, LogWriter writer, VirtualHosts hosts, LogClock clock) {
        this.dir = dir;
        this.writer = writer;
        this.channel = new LoopbackChannel();
        Services services = new Services(null, null, null, clock, System::nanoTime, Runnable::run);
        this.connection = new ClientConnection(1, channel, hosts, services);
        this.decoder = new RequestDecoder(hosts.defaultServer().timeouts());
        channel.pipeline().addLast("http", decoder).addLast("front", sink);
    }

    /** Loads {@link #CONFIG}. */
    public static BenchProxy load() {
        return load(CONFIG);
    }

    /** Loads {@code config} (with the wall clock; log files, if any, under a temporary directory). */
    public static BenchProxy load(String config) {
        try {
            Path dir = Files.createTempDirectory("tunnelgate-jmh");
            LogWriter writer = new LogWriter();
            LogClock clock = new LogClock();
            ProxyConfig loaded = Configs.load(ConfigReader.read(config, dir.resolve("bench.conf")), null, dir, writer,
                    clock);
            VirtualHosts hosts = loaded.http().listens().get(0).hosts();
            return new BenchProxy(dir, writer, hosts, clock);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException("bench config does not load: " + e.getMessage(), e);
        }
    }

    /** A request head as the socket would deliver it: a pooled direct buffer (release it when done). */
    public static ByteBuf wireBytes(String head) {
        byte[] bytes = head.getBytes(StandardCharsets.ISO_8859_1);
        return PooledByteBufAllocator.DEFAULT.directBuffer(bytes.length).writeBytes(bytes);
    }

    /**
     * Runs one complete request head through the connection's {@link RequestDecoder}, as a socket
     * read does, and returns the decoded head. {@code wire} keeps its reference: it is retained for
     * the decoder, which releases it, and read from its start again.
     */
    public HttpRequest decode(ByteBuf wire) {
        wire.retain().readerIndex(0);
        channel.pipeline().fireChannelRead(wire);
        channel.pipeline().fireChannelReadComplete();
        return sink.take();
    }

    /**
     * The request as {@link FrontendHandler#channelRead} makes one of a decoded head, taken through
     * {@link RequestProcessor#postRead} and, for a request with a URI, the location search that
     * starts the phases; what the content handler does next (resolve, dial) is not part of it.
     */
    public Request prepare(HttpRequest head) {
        Request req = new Request(connection, head, decoder.lastHeadLength(), null, connection.hosts().defaultServer());
        if (!RequestProcessor.postRead(req, RefusingExchange.INSTANCE)) {
            throw new IllegalStateException("bench request refused: " + head);
        }
        if (!req.isConnect()) {
            req.serverConf().locations().find(req);
        }
        return req;
    }

    /** Decodes and prepares {@code head}, for benchmarks that need a finished request as their state. */
    public Request request(String head) {
        ByteBuf wire = wireBytes(head);
        try {
            return prepare(decode(wire));
        } finally {
            wire.release();
        }
    }

    /** The client connection (for heads encoded with its channel's allocator). */
    public ClientConnection connection() {
        return connection;
    }

    @Override
    public void close() {
        channel.finishAndReleaseAll();
        writer.close();
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An embedded channel with the addresses of a loopback TCP connection. */
    private static final class LoopbackChannel extends EmbeddedChannel {
        private static final InetAddress LOOPBACK = loopback();

        @Override
        protected SocketAddress localAddress0() {
            return new InetSocketAddress(LOOPBACK, 3128);
        }

        @Override
        protected SocketAddress remoteAddress0() {
            return new InetSocketAddress(LOOPBACK, 50312);
        }

        private static InetAddress loopback() {
            try {
                return InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Keeps the last decoded head; releases the (empty) body messages that follow it. */
    @ChannelHandler.Sharable
    private static final class LastHead extends ChannelInboundHandlerAdapter {
        private HttpRequest head;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof HttpRequest h) {
                head = h;
            }
            ReferenceCountUtil.release(msg);
        }

        HttpRequest take() {
            HttpRequest h = head;
            if (h == null || h.decoderResult().isFailure()) {
                throw new IllegalStateException("the decoder gave no request: " + h);
            }
            head = null;
            return h;
        }
    }
}
