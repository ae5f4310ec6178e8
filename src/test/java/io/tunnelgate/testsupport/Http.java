package io.tunnelgate.testsupport;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;

/**
 * JDK {@link HttpClient}s for tests: HTTP/1.1 only (the JDK default, HTTP/2, would try an {@code h2c} upgrade on
 * plain {@code http} URIs), no redirects, 10 s connect timeout.
 *
 * <p>Through a proxy the client sends absolute-form requests for {@code http} URIs and {@code CONNECT} for
 * {@code https} URIs. Note: the JDK refuses Basic proxy authentication for CONNECT unless the JVM runs with
 * {@code -Djdk.http.auth.tunneling.disabledSchemes=""}; set {@code Proxy-Authorization} yourself or use curl.
 */
public final class Http {

    /** Timeout of requests made by {@link #get}. */
    public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(20);

    private Http() {
    }

    /** A client sending every request through the HTTP proxy at {@code proxy}, trusting {@code tls}. */
    public static HttpClient viaProxy(InetSocketAddress proxy, SSLContext tls) {
        return builder(tls).proxy(ProxySelector.of(proxy)).build();
    }

    /** A client sending every request through the HTTP proxy at {@code proxy}, with the JVM's default trust. */
    public static HttpClient viaProxy(InetSocketAddress proxy) {
        return viaProxy(proxy, defaultContext());
    }

    /** A client connecting directly (no proxy, whatever the JVM's default selector says), trusting {@code tls}. */
    public static HttpClient direct(SSLContext tls) {
        return builder(tls).proxy(HttpClient.Builder.NO_PROXY).build();
    }

    /** {@code GET uri} with {@link #REQUEST_TIMEOUT}, body as a string. */
    public static HttpResponse<String> get(HttpClient client, String uri) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(uri)).timeout(REQUEST_TIMEOUT).GET().build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static HttpClient.Builder builder(SSLContext tls) {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(10))
                .sslContext(tls);
    }

    static SSLContext defaultContext() {
        try {
            return SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
