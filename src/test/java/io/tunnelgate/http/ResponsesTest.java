package io.tunnelgate.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.tunnelgate.Version;
import io.tunnelgate.log.ErrorLog;
import io.tunnelgate.log.LogClock;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The exact bytes of the responses Tunnelgate makes itself, and what they report to the access log. */
class ResponsesTest {
    /** 2026-11-23 08:42:00 UTC, a Monday. */
    private static final long NOW = 1_795_423_320_000L;
    private static final String DATE = "Date: Mon, 23 Nov 2026 08:42:00 GMT\r\n";
    private static final String PRODUCT = "tunnelgate/" + Version.VERSION;

    private final EmbeddedChannel channel = new EmbeddedChannel();

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    private Request request(HttpMethod method, boolean tokens) {
        LogClock clock = new LogClock(() -> NOW, ZoneOffset.UTC);
        LevelConf level = new LevelConf(List.of(), ErrorLog.none(clock), tokens);
        ServerConf server = new ServerConf(List.of("proxy.test"), List.of(), null, List.of(), AccessConf.NONE, null, Locations.NONE,
                level, null, null, null);
        Services services = new Services(null, null, null, clock, System::nanoTime, Runnable::run);
        ClientConnection conn = new ClientConnection(1, channel, new VirtualHosts(List.of(server), server), services);
        return new Request(conn, new DefaultHttpRequest(HttpVersion.HTTP_1_1, method, "/"), 0, null, server);
    }

    /** The response's bytes as text; the buffer is released. */
    private static String text(Response response) {
        ByteBuf bytes = response.bytes();
        try {
            return bytes.toString(StandardCharsets.ISO_8859_1);
        } finally {
            bytes.release();
        }
    }

    private static String page(String title, String footer) {
        return "<html>\r\n<head><title>" + title + "</title></head>\r\n<body>\r\n<center><h1>" + title
                + "</h1></center>\r\n<hr><center>" + footer + "</center>\r\n</body>\r\n</html>\r\n";
    }

    @Test
    void errorPageIsNginxsPageWithHeadersInNginxsOrder() {
        Response r = Responses.error(request(HttpMethod.CONNECT, true), 502, true);
        String body = page("502 Bad Gateway", PRODUCT);
        assertThat(r.status()).isEqualTo(502);
        assertThat(r.bodyLength()).isEqualTo(body.length());
        assertThat(r.close()).isTrue();
        assertThat(text(r)).isEqualTo("HTTP/1.1 502 Bad Gateway\r\nServer: " + PRODUCT + "\r\n" + DATE
                + "Content-Type: text/html\r\nContent-Length: " + body.length() + "\r\nConnection: close\r\n\r\n"
                + body);
    }

    @Test
    void serverTokensOffDropsTheVersionFromHeaderAndFooter() {
        Response r = Responses.error(request(HttpMethod.GET, false), 403, false);
        String body = page("403 Forbidden", "tunnelgate");
        assertThat(text(r)).isEqualTo("HTTP/1.1 403 Forbidden\r\nServer: tunnelgate\r\n" + DATE
                + "Content-Type: text/html\r\nContent-Length: " + body.length() + "\r\nConnection: keep-alive\r\n\r\n"
                + body);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "400, 400 Bad Request, 400 Bad Request",
        "401, 401 Unauthorized, 401 Authorization Required",
        "403, 403 Forbidden, 403 Forbidden",
        "404, 404 Not Found, 404 Not Found",
        "405, 405 Not Allowed, 405 Not Allowed",
        "407, 407 Proxy Authentication Required, 407 Proxy Authentication Required",
        "408, 408 Request Time-out, 408 Request Time-out",
        "414, 414 Request-URI Too Large, 414 Request-URI Too Large",
        "494, 400 Bad Request, 400 Request Header Or Cookie Too Large",
        "500, 500 Internal Server Error, 500 Internal Server Error",
        "501, 501 Not Implemented, 501 Not Implemented",
        "502, 502 Bad Gateway, 502 Bad Gateway",
        "503, 503 Service Temporarily Unavailable, 503 Service Temporarily Unavailable",
        "504, 504 Gateway Time-out, 504 Gateway Time-out",
        "505, 505 HTTP Version Not Supported, 505 HTTP Version Not Supported",
    })
    void statusLinesAndPageTitlesAreNginxs(int status, String statusLine, String title) {
        Response r = Responses.error(request(HttpMethod.GET, true), status, true);
        String text = text(r);
        assertThat(text).startsWith("HTTP/1.1 " + statusLine + "\r\n").endsWith("\r\n\r\n" + page(title, PRODUCT));
        assertThat(r.status()).isEqualTo(Integer.parseInt(statusLine.substring(0, 3)));
    }

    @Test
    void headResponseAnnouncesThePageButCarriesNoBody() {
        Response r = Responses.error(request(HttpMethod.HEAD, true), 404, false);
        String body = page("404 Not Found", PRODUCT);
        assertThat(r.bodyLength()).isZero();
        assertThat(text(r)).isEqualTo("HTTP/1.1 404 Not Found\r\nServer: " + PRODUCT + "\r\n" + DATE
                + "Content-Type: text/html\r\nContent-Length: " + body.length() + "\r\nConnection: keep-alive\r\n\r\n");
    }

    @Test
    void textIsPlainWithItsLength() {
        Response r = Responses.text(request(HttpMethod.CONNECT, true), 200, "skip proxy connect: a,,,\n", false);
        assertThat(r.bodyLength()).isEqualTo(25);
        assertThat(text(r)).isEqualTo("HTTP/1.1 200 OK\r\nServer: " + PRODUCT + "\r\n" + DATE
                + "Content-Type: text/plain\r\nContent-Length: 25\r\nConnection: keep-alive\r\n\r\n"
                + "skip proxy connect: a,,,\n");
    }

    @Test
    void redirectHasLocationBeforeConnectionAndTheStatusPage() {
        Response r = Responses.redirect(request(HttpMethod.GET, true), 302, "http://other.test/", true);
        String body = page("302 Moved Temporarily", PRODUCT);
        assertThat(text(r)).isEqualTo("HTTP/1.1 302 Moved Temporarily\r\nServer: " + PRODUCT + "\r\n" + DATE
                + "Content-Type: text/html\r\nContent-Length: " + body.length()
                + "\r\nLocation: http://other.test/\r\nConnection: close\r\n\r\n" + body);
    }

    @Test
    void statusWithoutAPageHasAnEmptyBody() {
        Response r = Responses.error(request(HttpMethod.GET, true), 200, false);
        assertThat(r.bodyLength()).isZero();
        assertThat(text(r)).isEqualTo("HTTP/1.1 200 OK\r\nServer: " + PRODUCT + "\r\n" + DATE
                + "Content-Length: 0\r\nConnection: keep-alive\r\n\r\n");
    }

    @Test
    void statusWithoutReasonPhraseKeepsTheSpace() {
        Response r = Responses.error(request(HttpMethod.GET, true), 418, true);
        assertThat(text(r)).startsWith("HTTP/1.1 418 \r\n");
    }

    @Test
    void aProxyFailureAddsProxyStatusAfterTheOtherHeaders() {
        Request req = request(HttpMethod.GET, true);
        req.addOutHeader("X-Added", "1");
        req.proxyStatus(ProxyStatus.of(ProxyError.CONNECTION_TIMEOUT, "first"));
        req.proxyStatus(new ProxyStatus(ProxyError.DNS_ERROR, "NXDOMAIN", "a \"b\" \\ c\u00e9"));
        Response r = Responses.error(req, 502, true);
        assertThat(text(r)).contains("\r\nConnection: close\r\nX-Added: 1\r\nProxy-Status: tunnelgate; error=dns_error;"
                + " rcode=\"NXDOMAIN\"; details=\"a \\\"b\\\" \\\\ c?\"\r\n\r\n")
                .as("a later failure replaces the earlier one").doesNotContain("connection_timeout");
    }

    @Test
    void proxyStatusWithoutDetailsIsTheErrorAlone() {
        assertThat(ProxyStatus.of(ProxyError.CONNECTION_REFUSED, null).headerValue())
                .isEqualTo("tunnelgate; error=connection_refused");
        assertThat(ProxyStatus.of(ProxyError.HTTP_RESPONSE_HEADER_SECTION_SIZE, "").headerValue())
                .isEqualTo("tunnelgate; error=http_response_header_section_size");
    }
}
