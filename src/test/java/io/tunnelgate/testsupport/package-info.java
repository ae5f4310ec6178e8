/**
 * Shared infrastructure for Tunnelgate's integration tests: loopback origins, clients and leak checking.
 *
 * <p><b>Leaks.</b> {@link io.tunnelgate.testsupport.LeakCheck} applies to every test class automatically and
 * fails the class when Netty reported a {@code LEAK:}; stop your servers in {@code @AfterAll}/{@code @AfterEach}
 * (they run before the check).
 *
 * <p><b>Origins</b> ({@link io.tunnelgate.testsupport.Origin}: {@code 127.0.0.1}, ephemeral port,
 * {@code port()}, {@code address()}, {@code accepted()}, {@code active()}, {@code close()}):
 * {@link io.tunnelgate.testsupport.EchoServer}, {@link io.tunnelgate.testsupport.SinkServer},
 * {@link io.tunnelgate.testsupport.SourceServer}, {@link io.tunnelgate.testsupport.HttpOrigin},
 * {@link io.tunnelgate.testsupport.HttpsOrigin}, {@link io.tunnelgate.testsupport.ScriptedServer},
 * {@link io.tunnelgate.testsupport.SilentServer}.
 *
 * <p><b>Clients:</b> {@link io.tunnelgate.testsupport.RawClient} (byte-exact),
 * {@link io.tunnelgate.testsupport.Curl} (the real binary), {@link io.tunnelgate.testsupport.Http} (JDK
 * {@code HttpClient}). <b>Data:</b> {@link io.tunnelgate.testsupport.Payload},
 * {@link io.tunnelgate.testsupport.Received}. <b>Files and TLS:</b>
 * {@link io.tunnelgate.testsupport.TestFiles}, {@link io.tunnelgate.testsupport.TestCertificates}.
 *
 * <p>A typical tunnel test:
 * <pre>{@code
 * try (SinkServer sink = new SinkServer(); RawClient client = RawClient.connect(proxyPort)) {
 *     assertThat(RawClient.status(client.requestTunnel(Loopback.hostPort(sink.port())))).isEqualTo(200);
 *     client.sendPayload(10 << 20, 1).shutdownOutput();
 *     assertThat(sink.nextConnection().get(10, SECONDS))
 *             .isEqualTo(new Received(10 << 20, Payload.sha256(10 << 20, 1)));
 *     assertThat(client.awaitEof()).isTrue();
 * }
 * }</pre>
 */
package io.tunnelgate.testsupport;
