package io.tunnelgate.testsupport;

import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;

/**
 * A test CA and a server certificate it issued for {@code localhost} and {@code 127.0.0.1} (EC P-256), generated
 * once per JVM with Netty's {@code netty-pkitesting}, as JDK {@link SSLContext}s, key objects (for Netty's
 * {@code SslContextBuilder}) and PEM files (for {@code curl --cacert} or a config file).
 */
public final class TestCertificates {

    private static TestCertificates shared;

    private final X509Bundle ca;
    private final X509Bundle server;
    private final Path caPem;
    private final Path chainPem;
    private final Path keyPem;

    private TestCertificates() throws Exception {
        ca = new CertificateBuilder()
                .subject("CN=Tunnelgate Test CA")
                .setIsCertificateAuthority(true)
                .ecp256()
                .buildSelfSigned();
        server = new CertificateBuilder()
                .subject("CN=localhost")
                .addSanDnsName("localhost")
                .addSanIpAddress("127.0.0.1")
                .addExtendedKeyUsageServerAuth()
                .ecp256()
                .buildIssuedBy(ca);
        Path dir = Files.createTempDirectory("tunnelgate-pki");
        // deleteOnExit runs in reverse order of registration: the directory must go last, so register it first.
        dir.toFile().deleteOnExit();
        caPem = writeTemp(dir, "ca.pem", ca.getCertificatePEM());
        chainPem = writeTemp(dir, "server-chain.pem", server.getCertificatePathPEM());
        keyPem = writeTemp(dir, "server-key.pem", server.getPrivateKeyPEM());
    }

    /** The JVM-wide instance (generated on first use). */
    public static synchronized TestCertificates shared() {
        if (shared == null) {
            try {
                shared = new TestCertificates();
            } catch (Exception e) {
                throw new IllegalStateException("could not generate test certificates", e);
            }
        }
        return shared;
    }

    /** PEM file of the CA certificate: {@code curl --cacert}. */
    public Path caPem() {
        return caPem;
    }

    /** PEM file of the server certificate followed by its issuer chain. */
    public Path certificateChainPem() {
        return chainPem;
    }

    /** PEM file (PKCS#8) of the server's private key. */
    public Path privateKeyPem() {
        return keyPem;
    }

    /** The CA certificate, to trust. */
    public X509Certificate caCertificate() {
        return ca.getCertificate();
    }

    /** The server certificate chain, server first. */
    public X509Certificate[] certificateChain() {
        return server.getCertificatePath();
    }

    /** The server's private key. */
    public PrivateKey privateKey() {
        return server.getKeyPair().getPrivate();
    }

    /** A new JDK server context presenting the server certificate. */
    public SSLContext serverContext() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(server.toKeyManagerFactory().getKeyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A new JDK client context trusting only the test CA (e.g. for {@code HttpClient}). */
    public SSLContext clientContext() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, ca.toTrustManagerFactory().getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path writeTemp(Path dir, String name, String text) {
        try {
            Path file = Files.writeString(dir.resolve(name), text, StandardCharsets.US_ASCII);
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
