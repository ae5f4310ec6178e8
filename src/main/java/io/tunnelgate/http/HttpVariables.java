package io.tunnelgate.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.util.AsciiString;
import io.tunnelgate.Version;
import io.tunnelgate.script.Getter;
import io.tunnelgate.script.VariableTable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.IntStream;

/**
 * nginx's core http variables, read from a {@link Request}. Names, values and the
 * "not found" ({@code -} in logs) versus "empty" cases follow nginx (spec §2, §3.10).
 */
public final class HttpVariables {
    private static final String PID = Long.toString(ProcessHandle.current().pid());
    private static final String HOSTNAME = readHostname();
    /** {@code $status} of 100 to 599. */
    private static final String[] STATUSES = IntStream.range(100, 600).mapToObj(Integer::toString)
            .toArray(String[]::new);

    private HttpVariables() {
    }

    /** Defines the variables in {@code table}. */
    public static void define(VariableTable<Request> t) {
        t.define("remote_addr", r -> r.connection().remoteIp())
                .define("remote_port", r -> port(r.connection().remotePort()))
                .define("binary_remote_addr", HttpVariables::binaryRemoteAddr)
                .define("server_addr", r -> r.connection().localIp())
                .define("server_port", r -> port(r.connection().localPort()))
                .defineCount("connection", r -> r.connection().id())
                .defineCount("connection_requests", Request::number)
                .define("pid", r -> PID)
                .define("hostname", r -> HOSTNAME)
                .define("tunnelgate_version", r -> Version.VERSION)
                .define("request", Request::requestLine)
                .define("request_method", r -> r.method().name())
                .define("server_protocol", r -> r.head().protocolVersion().text())
                .defineCount("request_length", Request::headLength)
                .define("request_time", HttpVariables::requestTime)
                .define("status", r -> threeDigits(r.status()))
                .defineCount("bytes_sent", Request::bytesSent)
                .defineCount("body_bytes_sent", Request::bodyBytesSent)
                .define("time_local", r -> r.connection().services().clock().timeLocal())
                .define("time_iso8601", r -> r.connection().services().clock().timeIso8601())
                .define("msec", r -> r.connection().services().clock().msec())
                .define("host", Request::hostName)
                .define("server_name", r -> r.serverConf().name())
                .define("scheme", r -> "http")
                .define("https", r -> "")
                .definePrefix("http_", HttpVariables::header)
                .definePrefix("arg_", name -> r -> argument(r.args(), name))
                .definePrefix("cookie_", name -> r -> cookie(r, name))
                .definePrefix("sent_http_", HttpVariables::sentHeader);
        defineTargetVariables(t);
    }

    /** Variables of the request-target: empty for CONNECT, which has no URI (spec §3.2). */
    private static void defineTargetVariables(VariableTable<Request> t) {
        t.define("uri", Request::uri)
                .define("document_uri", Request::uri)
                .define("request_uri", HttpVariables::requestUri)
                .defineSettable("args", Request::args, Request::args)
                .define("query_string", Request::args)
                .define("is_args", r -> r.args().isEmpty() ? "" : "?")
                .define("connect_host", r -> r.isConnect() && r.target() != null ? r.target().host() : null)
                .define("connect_port", r -> r.isConnect() && r.target() != null ? r.target().portText() : null);
    }

    /** The machine's host name ({@code $hostname}, {@code server_name $hostname}). */
    static String hostname() {
        return HOSTNAME;
    }

    /** A port as nginx prints it: empty when there is none (a Unix socket). */
    private static String port(int port) {
        return port > 0 ? Integer.toString(port) : "";
    }

    /** {@code $sent_http_NAME}: a header of the response as it went to the client. */
    private static Getter<Request> sentHeader(String suffix) {
        String name = headerName(suffix);
        return r -> {
            SentHeaders sent = r.sentHeaders();
            return sent == null ? null : sent.get(name);
        };
    }

    /** {@code $http_NAME}: the first such header. */
    private static Getter<Request> header(String suffix) {
        AsciiString name = AsciiString.cached(headerName(suffix));
        return r -> r.headers().get(name);
    }

    /** The header a variable's suffix names: {@code _} in the name matches {@code -}. */
    public static String headerName(String suffix) {
        return suffix.replace('_', '-');
    }

    /**
     * {@code $arg_NAME}: the value of argument NAME in the query string (as sent, not decoded;
     * the name compared without case, as nginx does), or not found. As in nginx, only
     * {@code NAME=} counts: a bare {@code NAME} without {@code =} is not found.
     */
    static String argument(String args, String name) {
        int i = 0;
        while (i <= args.length()) {
            int end = args.indexOf('&', i);
            if (end < 0) {
                end = args.length();
            }
            int eq = args.indexOf('=', i);
            int nameEnd = eq < 0 || eq > end ? end : eq;
            if (nameEnd < end && nameEnd - i == name.length() && args.regionMatches(true, i, name, 0, name.length())) {
                return args.substring(nameEnd + 1, end);
            }
            i = end + 1;
        }
        return null;
    }

    /** {@code $cookie_NAME}: the value of cookie NAME from the Cookie headers, or not found. */
    private static String cookie(Request r, String name) {
        for (String header : r.headers().getAll(HttpHeaderNames.COOKIE)) {
            for (String pair : header.split(";")) {
                String p = pair.strip();
                int eq = p.indexOf('=');
                if (eq == name.length() && p.regionMatches(true, 0, name, 0, eq)) {
                    return p.substring(eq + 1);
                }
            }
        }
        return null;
    }

    /** {@code $request_uri}: the URI as the client sent it (path and query of an absolute-form target). */
    public static String requestUri(Request r) {
        RequestTarget t = r.target();
        if (t == null || t.form() == RequestTarget.Form.AUTHORITY) {
            return "";
        }
        if (t.form() == RequestTarget.Form.ORIGIN) {
            return r.head().uri();
        }
        return t.hasArgs() ? t.path() + "?" + t.args() : t.path();
    }

    private static String requestTime(Request r) {
        long ms = r.connection().services().clock().millis() - r.startMillis();
        return secondsDotMillis(Math.max(0, ms));
    }

    /** nginx's {@code %T.%03M}: whole seconds, a dot, three digits of milliseconds. */
    public static String secondsDotMillis(long ms) {
        long frac = ms % 1000;
        return (ms / 1000) + (frac < 10 ? ".00" : frac < 100 ? ".0" : ".") + frac;
    }

    /** nginx's {@code %03ui}; the usual statuses from a table, as every access-log line has one. */
    private static String threeDigits(int status) {
        if (status <= 0) {
            return "000";
        }
        int wire = StatusText.wireStatus(status);
        return wire >= 100 && wire < 100 + STATUSES.length ? STATUSES[wire - 100] : Integer.toString(wire);
    }

    private static String binaryRemoteAddr(Request r) {
        InetSocketAddress remote = r.connection().remoteAddress();
        return remote == null ? "" : new String(remote.getAddress().getAddress(), StandardCharsets.ISO_8859_1);
    }

    /** The kernel's host name, read without DNS (nginx uses gethostname()). */
    private static String readHostname() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
        } catch (IOException | RuntimeException e) {
            String env = System.getenv("HOSTNAME");
            return env != null ? env : "localhost";
        }
    }
}
