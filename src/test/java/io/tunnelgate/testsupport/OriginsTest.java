package io.tunnelgate.testsupport;

import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The TCP origins, dialled directly. */
class OriginsTest {

    private static final int MIB = 1024 * 1024;

    @Test
    void echoServerEchoesAndAnswersHalfCloseWithFin() throws Exception {
        try (EchoServer echo = new EchoServer(); RawClient client = RawClient.connect(echo.port())) {
            assertThat(echo.address().getAddress()).isEqualTo(Loopback.IPV4);

            client.send("hello").shutdownOutput();

            assertThat(new String(client.readToEof(), StandardCharsets.ISO_8859_1)).isEqualTo("hello");
            assertThat(echo.accepted()).isEqualTo(1);
            assertThat(echo.echoed()).isEqualTo(5);
            await().until(() -> echo.active() == 0);
        }
    }

    @Test
    void echoServerEchoesAStreamWhileTheClientStillSends() throws Exception {
        long size = 8L * MIB;
        try (EchoServer echo = new EchoServer(); RawClient client = RawClient.connect(echo.port())) {
            CompletableFuture<Void> sent = sendInBackground(client, size);

            Received back = client.digestToEof();

            sent.get(10, SECONDS);
            assertThat(back).isEqualTo(new Received(size, Payload.sha256(size, 1)));
        }
    }

    @Test
    void sinkServerHashesTenMebibytes() throws Exception {
        long size = 10L * MIB;
        try (SinkServer sink = new SinkServer(); RawClient client = RawClient.connect(sink.port())) {
            CompletableFuture<Received> first = sink.nextConnection();

            client.sendPayload(size, 7).shutdownOutput();

            assertThat(first.get(10, SECONDS)).isEqualTo(new Received(size, Payload.sha256(size, 7)));
            assertThat(sink.received()).isEqualTo(size);
            assertThat(client.awaitEof()).as("sink closes after EOF").isTrue();
        }
    }

    @Test
    void sinkServerReportsConnectionsInAcceptOrder() throws Exception {
        try (SinkServer sink = new SinkServer()) {
            try (RawClient a = RawClient.connect(sink.port())) {
                a.send("first").shutdownOutput();
                assertThat(sink.connection(0).get(10, SECONDS).bytes()).isEqualTo(5);
            }
            try (RawClient b = RawClient.connect(sink.port())) {
                b.send("second!").shutdownOutput();
                assertThat(sink.nextConnection().get(10, SECONDS).bytes()).isEqualTo(5);
                assertThat(sink.nextConnection().get(10, SECONDS))
                        .isEqualTo(new Received(7, Payload.sha256("second!".getBytes(StandardCharsets.US_ASCII))));
            }
            assertThat(sink.accepted()).isEqualTo(2);
        }
    }

    @Test
    void sourceServerSendsThePayloadItAdvertises() throws Exception {
        long size = 16L * MIB;
        try (SourceServer source = new SourceServer(size); RawClient client = RawClient.connect(source.port())) {
            Received received = client.digestToEof();

            assertThat(received).isEqualTo(new Received(size, source.expectedSha256()));
            assertThat(source.nextConnection().get(10, SECONDS)).isEqualTo(size);
        }
    }

    @Test
    void sourceServerInHalfCloseModeWaitsForTheClientsEof() throws Exception {
        try (SourceServer source = new SourceServer(MIB, SourceServer.Ending.HALF_CLOSE);
             RawClient client = RawClient.connect(source.port())) {
            assertThat(client.digest(MIB).sha256()).isEqualTo(source.expectedSha256());
            assertThat(client.awaitEof()).isTrue();
            CompletableFuture<Long> done = source.nextConnection();
            assertThat(source.active()).as("still waiting for our FIN").isEqualTo(1);
            assertThat(done).isNotDone();

            client.shutdownOutput();

            assertThat(done.get(10, SECONDS)).isEqualTo(MIB);
        }
    }

    @Test
    void scriptedServerRunsTheScriptPerConnectionAndReportsItsOutcome() throws Exception {
        try (ScriptedServer server = new ScriptedServer(socket -> {
            InputStream in = socket.getInputStream();
            byte[] word = in.readNBytes(4);
            if (!"ping".equals(new String(word, StandardCharsets.US_ASCII))) {
                throw new AssertionError("unexpected " + new String(word, StandardCharsets.US_ASCII));
            }
            socket.getOutputStream().write("pong".getBytes(StandardCharsets.US_ASCII));
        })) {
            try (RawClient client = RawClient.connect(server.port())) {
                client.send("ping");
                assertThat(client.readToEof()).asString(StandardCharsets.US_ASCII).isEqualTo("pong");
            }
            assertThat(server.nextConnection().get(10, SECONDS)).isNull();

            try (RawClient client = RawClient.connect(server.port())) {
                client.send("nope");
                assertThatThrownBy(() -> server.nextConnection().get(10, SECONDS))
                        .isInstanceOf(ExecutionException.class)
                        .hasCauseInstanceOf(AssertionError.class)
                        .hasMessageContaining("unexpected nope");
            }
        }
    }

    @Test
    void scriptedServerCloseReleasesHeldConnections() throws Exception {
        ScriptedServer server = new ScriptedServer(socket -> ScriptedServer.holdUntilClosed());
        try (RawClient client = RawClient.connect(server.port())) {
            CompletableFuture<Void> held = server.nextConnection();
            await().until(() -> server.active() == 1);

            server.close();

            assertThat(client.awaitClosed()).isTrue();
            assertThat(held).isCompletedExceptionally();
            assertThat(server.active()).isZero();
        }
    }

    @Test
    void silentServerStallsAWriterUntilItStartsReading() throws Exception {
        try (SilentServer silent = new SilentServer(); StallingWriter writer = new StallingWriter(silent.address())) {
            await().until(() -> silent.active() == 1);

            long buffered = writer.fillUntilStalled();

            assertThat(buffered).as("bytes the kernels took before stalling").isBetween(1L, 16L * MIB);
            assertThat(writer.staysStalledFor(200, TimeUnit.MILLISECONDS)).isTrue();

            silent.startReading();
            writer.finish();

            assertThat(silent.nextConnection().get(10, SECONDS)).isEqualTo(writer.sent());
        }
    }

    @Test
    void closeClosesEveryConnection() throws Exception {
        EchoServer echo = new EchoServer();
        try (RawClient a = RawClient.connect(echo.port()); RawClient b = RawClient.connect(echo.port())) {
            await().until(() -> echo.active() == 2);

            echo.close();

            assertThat(a.awaitClosed()).isTrue();
            assertThat(b.awaitClosed()).isTrue();
            assertThat(echo.accepted()).isEqualTo(2);
            assertThat(echo.active()).isZero();
        }
    }

    private static CompletableFuture<Void> sendInBackground(RawClient client, long size) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                client.sendPayload(size, 1).shutdownOutput();
                done.complete(null);
            } catch (Exception e) {
                done.completeExceptionally(e);
            }
        }, "payload-sender");
        thread.setDaemon(true);
        thread.start();
        return done;
    }
}
