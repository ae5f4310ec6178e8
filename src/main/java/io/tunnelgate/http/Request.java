package io.tunnelgate.http;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.tunnelgate.log.ErrorLog;
import io.tunnelgate.log.LogLevel;
import io.tunnelgate.script.Captures;
import io.tunnelgate.script.ScriptContext;
import java.util.List;

/**
 * One request and everything the phases, the content handler and the logs learn about it.
 *
 * <p>Confined to the connection's event loop. Variables ({@code $status}, {@code $host} ...) read
 * from here; features keep their own per-request state in {@link ModuleKey} slots.
 */
public final class Request implements ScriptContext {
    /** The URI Netty's decoder gives a request whose line could not be parsed. */
    static final String BAD_REQUEST_URI = "/bad-request";
    private final ClientConnection connection;
    private final int number;
    private final long startNanos;
    private final long startMillis;
    private final HttpRequest head;
    private final String rawLine;
    private String requestLine;
    private final int headLength;
    private final Object[] moduleState = new Object[ModuleKey.MAX];
    private RequestTarget target;
    private String uri = "";
    private String args = "";
    private boolean uriChanged;
    private Object[] slots;
    private Captures captures;
    private LocationConf location;
    private ServerConf server;
    private LevelConf level;
    private String host;
    private int status;
    private long bytesSent;
    private long bodyBytesSent;
    private String upstream;
    private boolean uriRewritten;
    private boolean keepAlive;
    private HttpMethod method;
    private SpecialState special;
    private SentHeaders sent;
    /** The {@link #onEnd} actions; null until the first (most requests have none). */
    private EndActions endActions;
    private boolean ended;

    /**
     * @param rawLine the request line as received, logged when the head could not be parsed
     */
    Request(ClientConnection connection, HttpRequest head, int headLength, String rawLine, ServerConf defaultServer) {
        this.rawLine = rawLine == null ? "" : rawLine;
        this.connection = connection;
        this.number = connection.nextRequest();
        this.startNanos = connection.services().nanoTime().getAsLong();
        this.startMillis = connection.services().clock().millis();
        this.head = head;
        this.headLength = headLength;
        this.server = defaultServer;
        this.level = defaultServer.level();
    }

    public ClientConnection connection() {
        return connection;
    }

    /** {@code $connection_requests}: this request's number on its connection. */
    public int number() {
        return number;
    }

    /** The decoded head; its decoder result may be a failure for bad requests. */
    public HttpRequest head() {
        return head;
    }

    /** The method; an {@code error_page} redirect turns it into GET (HEAD stays HEAD), as in nginx. */
    public HttpMethod method() {
        return method != null ? method : head.method();
    }

    void method(HttpMethod method) {
        this.method = method;
    }

    /**
     * Whether the client talks to Tunnelgate as its proxy (CONNECT, or an absolute-form target)
     * rather than as the origin: proxy authentication and {@code Proxy-Status} apply then.
     */
    public boolean isProxyRequest() {
        return isConnect() || target != null && target.form() == RequestTarget.Form.ABSOLUTE;
    }

    public boolean isConnect() {
        return HttpMethod.CONNECT.equals(head.method());
    }

    public HttpHeaders headers() {
        return head.headers();
    }

    /** {@code $request}: the request line as received, e.g. {@code CONNECT a:443 HTTP/1.1}. */
    public String requestLine() {
        if (requestLine == null) {
            boolean unparsed = head.decoderResult().isFailure() && head.uri().equals(BAD_REQUEST_URI);
            // nginx logs what it received when it could not parse the line
            requestLine = unparsed ? rawLine
                    : head.method().name() + ' ' + head.uri() + ' ' + head.protocolVersion().text();
        }
        return requestLine;
    }

    /** {@code $request_length}: bytes of the request head (and body, once read). */
    public int headLength() {
        return headLength;
    }

    public long startNanos() {
        return startNanos;
    }

    public long startMillis() {
        return startMillis;
    }

    /** The parsed request-target, or null if the request line was rejected before parsing. */
    public RequestTarget target() {
        return target;
    }

    void target(RequestTarget target) {
        this.target = target;
        if (target.form() != RequestTarget.Form.AUTHORITY) {
            this.uri = target.normalizedPath();
            this.args = target.args();
        }
    }

    /** {@code $uri}: the normalised path, changed by {@code rewrite}; "" for CONNECT. */
    public String uri() {
        return uri;
    }

    /** {@code $args}: the query string, changed by {@code rewrite} or {@code set $args}. */
    public String args() {
        return args;
    }

    /** {@code set $args value}. */
    public void args(String args) {
        this.args = args;
    }

    /** The location serving this request, or null (none matched, or a CONNECT). */
    public LocationConf location() {
        return location;
    }

    void location(LocationConf location) {
        this.location = location;
        this.level = location == null ? server.level() : location.level();
    }

    /**
     * nginx's internal redirect: a new URI and arguments, and the request goes back to the
     * server's configuration until the location is searched again.
     */
    void internalRedirect(String uri, String args) {
        this.uri = uri;
        this.args = args;
        this.uriChanged = false;
        this.uriRewritten = true;
        location(null);
    }

    /** Redirect and error-page state, created on first use (most requests never need it). */
    SpecialState special() {
        if (special == null) {
            special = new SpecialState();
        }
        return special;
    }

    /** Whether a rewrite changed the URI since the flag was last cleared. */
    boolean takeUriChanged() {
        boolean changed = uriChanged;
        uriChanged = false;
        return changed;
    }

    // ScriptContext: what compiled scripts read and write

    @Override
    public Object slot(int index) {
        return slots == null || index >= slots.length ? null : slots[index];
    }

    @Override
    public void slot(int index, Object value) {
        if (slots == null || index >= slots.length) {
            // sized on first use: most requests never touch a slot
            Object[] grown = new Object[Math.max(8, index + 1)];
            if (slots != null) {
                System.arraycopy(slots, 0, grown, 0, slots.length);
            }
            slots = grown;
        }
        slots[index] = value;
    }

    @Override
    public Captures captures() {
        return captures;
    }

    @Override
    public void captures(Captures captures) {
        this.captures = captures;
    }

    @Override
    public void scriptWarning(String message) {
        if (level.uninitializedWarn()) {
            log(LogLevel.WARN, message);
        }
    }

    @Override
    public String scriptUri() {
        return uri;
    }

    @Override
    public String scriptArgs() {
        return args;
    }

    @Override
    public void rewriteUri(String uri, String args) {
        this.uri = uri;
        this.args = args;
        this.uriChanged = true;
        this.uriRewritten = true;
    }

    /**
     * Whether the URI is no longer the one the client sent (a {@code rewrite} or an internal
     * redirect changed it): nginx's proxy then sends the escaped {@code $uri} with the arguments
     * instead of the request's unparsed URI.
     */
    public boolean uriRewritten() {
        return uriRewritten;
    }

    /** The server chosen for this request (the default server until the Host is known). */
    public ServerConf serverConf() {
        return server;
    }

    void serverConf(ServerConf server) {
        this.server = server;
        this.level = server.level();
    }

    /** The level (server or location) whose logs and tokens apply. */
    public LevelConf level() {
        return level;
    }

    void level(LevelConf level) {
        this.level = level;
    }

    /** {@code $host}: from the request line, else the Host header, else the server name. */
    public String hostName() {
        return host != null ? host : server.name();
    }

    void hostName(String host) {
        this.host = host;
    }

    /** {@code $status}: 0 until a response status is known. */
    public int status() {
        return status;
    }

    public void status(int status) {
        this.status = status;
    }

    /**
     * The status a response of {@code status} goes out with: the one an {@code error_page} kept or
     * set (nginx's {@code err_status}) wins over what the content handler answers.
     */
    public int finalStatus(int status) {
        int kept = special == null ? 0 : special.errStatus();
        return kept != 0 ? kept : status;
    }

    /**
     * Adds a header to whatever response this request ends with, after nginx's fixed headers (as
     * nginx's {@code headers_out} list, e.g. the {@code Content-Range} of a 416).
     */
    public void addOutHeader(String name, String value) {
        special().addOutHeader(name, value);
    }

    /** The headers added with {@link #addOutHeader}, as name, value, name, value ... */
    List<String> outHeaders() {
        return special == null ? List.of() : special.outHeaders();
    }

    /** The head this request was answered with, for {@code $sent_http_NAME}; null before one was written. */
    public SentHeaders sentHeaders() {
        return sent;
    }

    /** Records the head written to the client (the last one counts, as after an error_page). */
    public void sentHeaders(SentHeaders head) {
        this.sent = head;
    }

    /**
     * Records the proxy failure this request is being answered for: every response Tunnelgate
     * then writes itself for it (its error page, or the page an {@code error_page} redirect
     * produces) carries a {@code Proxy-Status} field with it. A later failure replaces an earlier
     * one; a response from an origin never gets the field.
     */
    public void proxyStatus(ProxyStatus status) {
        special().proxyStatus(status);
    }

    /** The recorded proxy failure, or null. */
    public ProxyStatus proxyStatus() {
        return special == null ? null : special.proxyStatus();
    }

    /** {@code $bytes_sent}: bytes written to the client for this request. */
    public long bytesSent() {
        return bytesSent;
    }

    /** {@code $body_bytes_sent}. */
    public long bodyBytesSent() {
        return bodyBytesSent;
    }

    /** Counts bytes written to the client; {@code body} of them were response body. */
    public void addSent(long total, long body) {
        bytesSent += total;
        bodyBytesSent += body;
    }

    /** Whether the connection stays open for another request after this one. */
    public boolean keepAlive() {
        return keepAlive;
    }

    public void keepAlive(boolean keepAlive) {
        this.keepAlive = keepAlive;
    }

    /** A feature's state for this request, or null. */
    @SuppressWarnings("unchecked")
    public <T> T get(ModuleKey<T> key) {
        return (T) moduleState[key.index()];
    }

    public <T> void set(ModuleKey<T> key, T value) {
        moduleState[key.index()] = value;
    }

    /**
     * Runs {@code action} once when this request ends (nginx's request-pool cleanup, which
     * {@code limit_conn} uses to give back its slot): when the request is logged, or when its
     * connection closes first (a client gone mid-request). A CONNECT ends when its tunnel does.
     * On an ended request the action runs at once. Actions run on the event loop and must not throw.
     */
    public void onEnd(Runnable action) {
        if (ended) {
            action.run();
            return;
        }
        if (endActions != null) {
            endActions.add(action);
            return;
        }
        endActions = new EndActions(this, action);
        // the close may already have happened: then the request ends now, with the action above
        endActions.watch(connection.channel());
    }

    /** Whether the request has ended: logged, or its connection closed under it. */
    public boolean ended() {
        return ended;
    }

    /** Ends the request: runs the {@link #onEnd} actions, once. */
    void end() {
        if (ended) {
            return;
        }
        ended = true;
        if (endActions != null) {
            EndActions actions = endActions;
            endActions = null;
            actions.run(connection.channel());
        }
    }

    /** Writes an error-log line about this request at {@code level}, if that level is logged. */
    public void log(LogLevel level, String message) {
        if (errorLog().enabled(level)) {
            errorLog().log(level, connection.id(), message, new RequestErrorContext(this));
        }
    }

    /** The error log that applies to this request. */
    public ErrorLog errorLog() {
        return level.errorLog();
    }

    /** The upstream being talked to, or null; see {@link #upstream(String)}. */
    String upstream() {
        return upstream;
    }

    /**
     * The upstream being talked to, as error-log lines name it ({@code http://10.0.0.1:80/p}),
     * or null when there is none (yet).
     */
    public void upstream(String upstream) {
        this.upstream = upstream;
    }
}
