package io.tunnelgate.testsupport;

import javax.net.ssl.SSLContext;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * {@link HttpOrigin} over TLS, presenting {@link TestCertificates#shared()}'s server certificate (valid for
 * {@code localhost} and {@code 127.0.0.1}). Clients trust it with {@link #clientContext()} (JDK) or
 * {@code curl --cacert <caPem()>}.
 */
public final class HttpsOrigin extends HttpOrigin {

    /** Starts listening on {@code 127.0.0.1}, ephemeral port, answering {@code OriginResponse.ok("hello")}. */
    public HttpsOrigin() {
        this(request -> OriginResponse.ok("hello"));
    }

    /** Starts listening on {@code 127.0.0.1}, ephemeral port, answering what {@code handler} returns. */
    public HttpsOrigin(Function<RecordedRequest, OriginResponse> handler) {
        super("https", TestCertificates.shared().serverContext().getServerSocketFactory(), handler);
        start();
    }

    /** A new JDK client context that trusts this origin's certificate (and nothing else). */
    public SSLContext clientContext() {
        return TestCertificates.shared().clientContext();
    }

    /** PEM file of the CA that issued this origin's certificate, for {@code curl --cacert}. */
    public Path caPem() {
        return TestCertificates.shared().caPem();
    }
}
