package io.tunnelgate.log;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Lines really reach files, in order, whole, and before their callbacks run. */
class LogWriterTest {

    @TempDir
    Path dir;

    private final List<String> warnings = Collections.synchronizedList(new ArrayList<>());
    private final LogWriter writer = new LogWriter(LogWriter.DEFAULT_MAX_QUEUED_BYTES, warnings::add);

    @AfterEach
    void closeWriter() {
        writer.close();
    }

    static String read(Path file) {
        try {
            return Files.readString(file, ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] bytes(String s) {
        return s.getBytes(ISO_8859_1);
    }

    @Test
    void callbackRunsOnTheGivenEventLoopAfterTheLineIsInTheFile() throws Exception {
        writer.start();
        Path file = dir.resolve("access.log");
        LogTarget target = writer.open("access.log", dir);
        EventLoop loop = new DefaultEventLoop();
        try {
            CompletableFuture<String> seenInCallback = new CompletableFuture<>();
            loop.execute(() -> target.append(bytes("first line\n"), loop, () -> {
                // What the proxy does here is close the client socket; the line must already be there.
                seenInCallback.complete(loop.inEventLoop() + " " + read(file));
            }));
            assertThat(seenInCallback.get(10, TimeUnit.SECONDS)).isEqualTo("true first line\n");
        } finally {
            loop.shutdownGracefully(0, 0, TimeUnit.SECONDS).sync();
        }
    }

    @Test
    void writerIsOneNamedDaemonThread() throws Exception {
        writer.start();
        LogTarget target = writer.open("a.log", dir);
        CompletableFuture<Thread> thread = new CompletableFuture<>();
        target.append(bytes("x\n"), Runnable::run, () -> thread.complete(Thread.currentThread()));
        Thread t = thread.get(10, TimeUnit.SECONDS);
        assertThat(t.getName()).isEqualTo("tunnelgate-log-writer");
        assertThat(t.isDaemon()).isTrue();
        writer.close();
        assertThat(t.isAlive()).isFalse();
    }

    @Test
    void linesFromOneProducerKeepTheirOrder() throws Exception {
        writer.start();
        LogTarget target = writer.open("order.log", dir);
        StringBuilder expected = new StringBuilder();
        CountDownLatch done = new CountDownLatch(1);
        for (int i = 0; i < 20_000; i++) {
            String line = "line " + i + "\n";
            expected.append(line);
            if (i == 19_999) {
                target.append(bytes(line), Runnable::run, done::countDown);
            } else {
                target.append(bytes(line));
            }
        }
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(read(dir.resolve("order.log"))).isEqualTo(expected.toString());
    }

    @Test
    void callbacksRunInQueueOrderAndOnlyOnceTheirLineIsWritten() throws Exception {
        writer.start();
        Path file = dir.resolve("cb.log");
        LogTarget target = writer.open("cb.log", dir);
        List<Integer> order = Collections.synchronizedList(new ArrayList<>());
        List<Integer> missing = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch done = new CountDownLatch(500);
        for (int i = 0; i < 500; i++) {
            int n = i;
            target.append(bytes("cb " + n + "\n"), Runnable::run, () -> {
                order.add(n);
                if (!read(file).contains("cb " + n + "\n")) {
                    missing.add(n);
                }
                done.countDown();
            });
        }
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(missing).isEmpty();
        assertThat(order).isSorted().hasSize(500);
    }

    @Test
    void concurrentProducersNeverInterleaveLines() throws Exception {
        writer.start();
        LogTarget target = writer.open("many.log", dir);
        int producers = 8;
        int perProducer = 5_000;
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int id = p;
            Thread t = new Thread(() -> {
                awaitQuietly(go);
                for (int i = 0; i < perProducer; i++) {
                    // Lines of varying length so a torn or interleaved write would show.
                    target.append(bytes("p" + id + " " + i + " " + "x".repeat(i % 97) + " end\n"));
                }
            });
            t.start();
            threads.add(t);
        }
        go.countDown();
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(30));
        }
        writer.close();

        Pattern shape = Pattern.compile("p(\\d+) (\\d+) (x*) end");
        int[] next = new int[producers];
        String[] lines = read(dir.resolve("many.log")).split("\n", -1);
        assertThat(lines).hasSize(producers * perProducer + 1);
        assertThat(lines[lines.length - 1]).isEmpty();
        for (int i = 0; i < lines.length - 1; i++) {
            Matcher m = shape.matcher(lines[i]);
            assertThat(m.matches()).as("line %d: %s", i, lines[i]).isTrue();
            int id = Integer.parseInt(m.group(1));
            int seq = Integer.parseInt(m.group(2));
            assertThat(seq).as("order of producer %d", id).isEqualTo(next[id]++);
            assertThat(m.group(3)).hasSize(seq % 97);
        }
        assertThat(writer.droppedLines()).isZero();
    }

    @Test
    void closeWritesEverythingQueuedThenDropsButStillCallsBack() throws Exception {
        writer.start();
        LogTarget target = writer.open("close.log", dir);
        for (int i = 0; i < 3_000; i++) {
            target.append(bytes("c" + i + "\n"));
        }
        writer.close();
        String content = read(dir.resolve("close.log"));
        assertThat(content.split("\n")).hasSize(3_000).endsWith("c2999");

        CountDownLatch called = new CountDownLatch(1);
        target.append(bytes("late\n"), Runnable::run, called::countDown);
        assertThat(called.getCount()).isZero();
        assertThat(writer.droppedLines()).isEqualTo(1);
        assertThat(read(dir.resolve("close.log"))).doesNotContain("late");
    }

    @Test
    void closeWithoutStartWritesInTheClosingThread() throws Exception {
        LogTarget target = writer.open("nostart.log", dir);
        target.append(bytes("queued before close\n"));
        writer.close();
        assertThat(read(dir.resolve("nostart.log"))).isEqualTo("queued before close\n");
    }

    @Test
    void lineLargerThanTheStagingBufferIsWrittenWholeAndInOrder() throws Exception {
        writer.start();
        LogTarget target = writer.open("big.log", dir);
        String big = "B".repeat(300_000) + "\n";
        target.append(bytes("before\n"));
        target.append(bytes(big));
        CountDownLatch done = new CountDownLatch(1);
        target.append(bytes("after\n"), Runnable::run, done::countDown);
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(read(dir.resolve("big.log"))).isEqualTo("before\n" + big + "after\n");
    }

    @Test
    void twoTargetsEachGetTheirOwnLines() throws Exception {
        writer.start();
        LogTarget access = writer.open("access.log", dir);
        LogTarget error = writer.open("error.log", dir);
        CountDownLatch done = new CountDownLatch(1);
        for (int i = 0; i < 100; i++) {
            access.append(bytes("a" + i + "\n"));
            error.append(bytes("e" + i + "\n"));
        }
        error.append(bytes("last\n"), Runnable::run, done::countDown);
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(read(dir.resolve("access.log")).split("\n")).hasSize(100).allMatch(l -> l.startsWith("a"))
                .startsWith("a0", "a1").endsWith("a99");
        assertThat(read(dir.resolve("error.log")).split("\n")).hasSize(101).startsWith("e0", "e1")
                .endsWith("e99", "last");
    }

    @Test
    void reopenAfterRenameWritesToANewFile() throws Exception {
        writer.start();
        Path file = dir.resolve("rot.log");
        Path rotated = dir.resolve("rot.log.1");
        LogTarget target = writer.open("rot.log", dir);
        awaitWritten(target, "one\n");
        Files.move(file, rotated);
        // Until reopen the open descriptor still points at the renamed file, as in nginx.
        awaitWritten(target, "two\n");
        writer.reopenAsync().get(10, TimeUnit.SECONDS);
        awaitWritten(target, "three\n");
        assertThat(read(rotated)).isEqualTo("one\ntwo\n");
        assertThat(read(file)).isEqualTo("three\n");
    }

    @Test
    void reopenKeepsLinesQueuedBeforeItInTheOldFile() throws Exception {
        Path file = dir.resolve("q.log");
        LogTarget target = writer.open("q.log", dir);
        target.append(bytes("old\n"));
        Files.move(file, dir.resolve("q.log.1"));
        writer.reopen();
        target.append(bytes("new\n"));
        writer.start();
        writer.close();
        assertThat(read(dir.resolve("q.log.1"))).isEqualTo("old\n");
        assertThat(read(file)).isEqualTo("new\n");
    }

    @Test
    void failedReopenKeepsTheOldFileAndSaysWhy() throws Exception {
        writer.start();
        Path logs = Files.createDirectory(dir.resolve("logs"));
        LogTarget target = writer.open("logs/r.log", dir);
        awaitWritten(target, "one\n");
        Path moved = dir.resolve("logs-moved");
        Files.move(logs, moved);

        CompletableFuture<Void> reopened = writer.reopenAsync();
        assertThat(reopened).failsWithin(10, TimeUnit.SECONDS).withThrowableThat()
                .withMessageContaining("open() \"" + logs.resolve("r.log") + "\" failed (2: No such file or directory)");
        assertThat(warnings).anyMatch(w -> w.contains("open() \"" + logs.resolve("r.log") + "\" failed"));

        awaitWritten(target, "two\n");
        assertThat(read(moved.resolve("r.log"))).isEqualTo("one\ntwo\n");
    }

    @Test
    void stderrAndStdoutAreSharedStreamTargets() throws Exception {
        writer.start();
        LogTarget err = writer.open("stderr", dir);
        assertThat(writer.open("/dev/stderr", null)).isSameAs(err);
        assertThat(err.name()).isEqualTo("stderr");
        LogTarget out = writer.open("/dev/stdout", dir);
        assertThat(writer.open("stdout", dir)).isSameAs(out).isNotSameAs(err);
        assertThat(Files.exists(dir.resolve("stderr"))).isFalse();

        CountDownLatch written = new CountDownLatch(1);
        err.append(bytes("LogWriterTest: a line on stderr from the writer thread\n"), Runnable::run,
                written::countDown);
        assertThat(written.await(10, TimeUnit.SECONDS)).isTrue();
        writer.close();
        assertThat(warnings).isEmpty();
    }

    @Test
    void aLineNobodyWaitsForIsWrittenWhenItIsTheOnlyOne() throws Exception {
        writer.start();
        Path file = dir.resolve("soon.log");
        LogTarget target = writer.open("soon.log", dir);
        awaitWritten(target, "first\n");
        // the writer has written a batch and lingers, then sleeps: a lone line must still wake it
        target.appendSoon(bytes("alone\n"));
        await().atMost(10, TimeUnit.SECONDS)
                .untilAsserted(() -> assertThat(read(file)).isEqualTo("first\nalone\n"));
    }

    @Test
    void linesNobodyWaitsForKeepTheirPlaceAmongTheOthers() throws Exception {
        writer.start();
        Path file = dir.resolve("mixed.log");
        LogTarget target = writer.open("mixed.log", dir);
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 3_000; i++) {
            String line = "line " + i + "\n";
            expected.append(line);
            if (i % 100 == 0) {
                target.append(bytes(line));
            } else {
                target.appendSoon(bytes(line));
            }
        }
        awaitWritten(target, "last\n");
        assertThat(read(file)).isEqualTo(expected + "last\n");
    }

    static void awaitWritten(LogTarget target, String line) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        target.append(bytes(line), Runnable::run, done::countDown);
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
    }

    static void awaitQuietly(CountDownLatch latch) {
        try {
            assertThat(latch.await(30, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
