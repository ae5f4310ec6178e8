package io.tunnelgate.http;

import io.tunnelgate.config.Setting;
import io.tunnelgate.log.ErrorLog;
import io.tunnelgate.resolve.ResolverSpec;
import java.util.List;
import java.util.Map;

/**
 * The settings http-level directives store in config blocks, with nginx's defaults. Other
 * packages' directives write some of them (e.g. {@link #CONNECT_HANDLER} by proxy_connect).
 */
public final class HttpSettings {
    private HttpSettings() {
    }

    /** Builds a content handler from the merged block it serves (a server's CONNECT, a location's proxy_pass). */
    @FunctionalInterface
    public interface HandlerFactory {
        ContentHandler create(io.tunnelgate.config.Block block) throws io.tunnelgate.config.ConfigException;
    }

    /** A parsed {@code access_log path [format]}, or {@link #OFF}. */
    public record AccessLogEntry(AccessLog log) {
        public static final AccessLogEntry OFF = new AccessLogEntry(null);
    }

    public static final Setting<List<String>> SERVER_NAMES = Setting.local("server_name", List.of(""));
    public static final Setting<List<ListenSpec>> LISTENS = Setting.local("listen", List.of());
    public static final Setting<HandlerFactory> CONNECT_HANDLER = Setting.local("proxy_connect", null);
    /**
     * A location's content handler other than return ({@code proxy_pass} ...), built when the
     * model is, so that it sees the location's settings whatever their order in the block.
     */
    public static final Setting<HandlerFactory> LOCATION_HANDLER = Setting.local("content handler", null);
    /**
     * nginx's {@code auto_redirect} of an exact or prefix location: set by a content handler's
     * directive through {@link LocationSpec#autoRedirect} (nginx's {@code proxy_pass} sets it in a
     * location whose name ends with {@code /}) so that a URI equal to the name without its last
     * character is answered with a 301 to the name, with the arguments (see {@link Locations}).
     * Never inherited by nested locations.
     */
    public static final Setting<Boolean> AUTO_REDIRECT = Setting.local("auto_redirect", false);

    public static final Setting<Long> KEEPALIVE_TIMEOUT = Setting.of("keepalive_timeout", 75_000L);
    public static final Setting<Integer> KEEPALIVE_REQUESTS =
            Setting.of("keepalive_requests", RequestLimits.DEFAULT.keepaliveRequests());
    public static final Setting<Long> KEEPALIVE_TIME =
            Setting.of("keepalive_time", RequestLimits.DEFAULT.keepaliveTimeMillis());
    public static final Setting<Long> CLIENT_MAX_BODY_SIZE =
            Setting.of("client_max_body_size", RequestLimits.DEFAULT.clientMaxBodySize());
    public static final Setting<Long> CLIENT_HEADER_TIMEOUT = Setting.of("client_header_timeout", 60_000L);
    public static final Setting<Integer> CLIENT_HEADER_BUFFER = Setting.of("client_header_buffer_size", 1024);
    public static final Setting<int[]> LARGE_HEADER_BUFFERS =
            Setting.of("large_client_header_buffers", new int[] {4, 8192});
    /** {@code satisfy any} (true) or {@code all} (false, nginx's default). */
    public static final Setting<Boolean> SATISFY_ANY = Setting.of("satisfy", false);
    public static final Setting<Boolean> SERVER_TOKENS = Setting.of("server_tokens", true);
    public static final Setting<ResolverSpec> RESOLVER = Setting.of("resolver", null);
    public static final Setting<Long> RESOLVER_TIMEOUT = Setting.of("resolver_timeout", 30_000L);

    public static final Setting<Map<String, io.tunnelgate.log.LogFormat<Request>>> LOG_FORMATS =
            Setting.of("log_format", Map.of());
    /** access_log lines; unset everywhere means Tunnelgate's default (combined to stdout). */
    public static final Setting<List<AccessLogEntry>> ACCESS_LOGS = Setting.of("access_log", null);
    /** error_log lines; unset everywhere means stderr at level error. */
    public static final Setting<List<ErrorLog.Entry>> ERROR_LOGS = Setting.of("error_log", null);
}
