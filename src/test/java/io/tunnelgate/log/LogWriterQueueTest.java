package io.tunnelgate.log;

import static io.tunnelgate.log.LogWriterTest.awaitWritten;
import static io.tunnelgate.log.LogWriterTest.bytes;
import static io.tunnelgate.log.LogWriterTest.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bound on queued bytes, drop accounting and warnings, and batching into few writes. */
class LogWriterQueueTest {

    @TempDir
    Path dir;

    private final List<String> warnings = Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private LogWriter writer;

    @AfterEach
    void closeWriter() {
        if (writer != null) {
            writer.close();
        }
    }

    private LogWriter writer(long maxQueuedBytes) {
        writer = new LogWriter(maxQueuedBytes, warnings::add, nanos::get);
        return writer;
    }

    /** Parks the writer thread inside a task until the returned latch is released. */
    private static CountDownLatch blockWriter(LogWriter w) throws InterruptedException {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        assertThat(w.runOnWriter(() -> {
            entered.countDown();
            LogWriterTest.awaitQuietly(release);
        })).isTrue();
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
        return release;
    }

    /** Returns once the writer has finished at least one full loop after this call. */
    private static void syncWithWriter(LogWriter w) throws InterruptedException {
        for (int i = 0; i < 2; i++) {
            CountDownLatch ran = new CountDownLatch(1);
            assertThat(w.runOnWriter(ran::countDown)).isTrue();
            assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void fullQueueDropsTheLineCountsItAndStillRunsItsCallback() throws Exception {
        LogWriter w = writer(100);
        LogTarget target = w.open("drop.log", dir);
        String sixty = "k".repeat(59) + "\n";
        CountDownLatch kept = new CountDownLatch(1);
        CountDownLatch droppedCallback = new CountDownLatch(1);

        target.append(bytes(sixty), Runnable::run, kept::countDown);
        target.append(bytes("D".repeat(59) + "\n"), Runnable::run, droppedCallback::countDown);

        // The writer is not even started: the dropped line's callback ran at once, in the caller.
        assertThat(droppedCallback.getCount()).isZero();
        assertThat(kept.getCount()).isEqualTo(1);
        assertThat(w.droppedLines()).isEqualTo(1);
        assertThat(w.queuedBytes()).isEqualTo(60);

        w.start();
        assertThat(kept.await(10, TimeUnit.SECONDS)).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> !warnings.isEmpty());
        assertThat(warnings).singleElement().asString()
                .isEqualTo("log queue full (100 bytes): 1 line(s) dropped");
        w.close();
        assertThat(read(dir.resolve("drop.log"))).isEqualTo(sixty);
        assertThat(w.queuedBytes()).isZero();
    }

    @Test
    void spaceIsReleasedOnceLinesAreWritten() throws Exception {
        LogWriter w = writer(100);
        w.start();
        LogTarget target = w.open("reuse.log", dir);
        for (int i = 0; i < 20; i++) {
            awaitWritten(target, "%059d\n".formatted(i));
        }
        assertThat(w.droppedLines()).isZero();
        assertThat(read(dir.resolve("reuse.log")).split("\n")).hasSize(20);
    }

    @Test
    void dropWarningsComeAtMostOnceASecond() throws Exception {
        LogWriter w = writer(100);
        w.start();
        LogTarget target = w.open("rate.log", dir);
        String line = "r".repeat(79) + "\n";

        CountDownLatch release = blockWriter(w);
        target.append(bytes(line));
        target.append(bytes(line));
        release.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> warnings.size() == 1);

        release = blockWriter(w);
        target.append(bytes(line));
        target.append(bytes(line));
        target.append(bytes(line));
        release.countDown();
        syncWithWriter(w);
        assertThat(warnings).as("a second warning within the same second").hasSize(1);

        nanos.addAndGet(TimeUnit.SECONDS.toNanos(1));
        awaitWritten(target, "wake\n");
        await().atMost(Duration.ofSeconds(10)).until(() -> warnings.size() == 2);
        assertThat(warnings.get(1)).isEqualTo("log queue full (100 bytes): 2 line(s) dropped");
        assertThat(w.droppedLines()).isEqualTo(3);
    }

    @Test
    void aBurstOfLinesIsWrittenWithOneWrite() throws Exception {
        LogWriter w = writer(LogWriter.DEFAULT_MAX_QUEUED_BYTES);
        w.start();
        LogTarget target = w.open("batch.log", dir);
        awaitWritten(target, "warm-up\n");

        CountDownLatch release = blockWriter(w);
        long before = w.writeCalls();
        CountDownLatch done = new CountDownLatch(1000);
        for (int i = 0; i < 1000; i++) {
            target.append(bytes("%039d\n".formatted(i)), Runnable::run, done::countDown);
        }
        release.countDown();
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        // 40,000 bytes fit in one staging buffer: one write(2) for a thousand lines.
        assertThat(w.writeCalls() - before).isEqualTo(1);
        assertThat(read(dir.resolve("batch.log")).split("\n")).hasSize(1001);
    }

    @Test
    void callbacksOfAHugeBatchDoNotWaitForAllOfIt() throws Exception {
        LogWriter w = writer(LogWriter.DEFAULT_MAX_QUEUED_BYTES);
        w.start();
        LogTarget target = w.open("chunks.log", dir);
        CountDownLatch release = blockWriter(w);
        long[] writesSeenByFirstCallback = new long[1];
        CountDownLatch first = new CountDownLatch(1);
        String kb = "c".repeat(1023) + "\n";
        target.append(bytes(kb), Runnable::run, () -> {
            writesSeenByFirstCallback[0] = w.writeCalls();
            first.countDown();
        });
        for (int i = 0; i < 2047; i++) {
            target.append(bytes(kb));
        }
        CountDownLatch last = new CountDownLatch(1);
        target.append(bytes("end\n"), Runnable::run, last::countDown);
        long before = w.writeCalls();
        release.countDown();
        assertThat(last.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(first.getCount()).isZero();
        // 2 MiB in 64 KiB writes is 32 writes; the first callback ran after only a few of them.
        assertThat(w.writeCalls() - before).isBetween(32L, 34L);
        assertThat(writesSeenByFirstCallback[0] - before).isLessThanOrEqualTo(5);
        assertThat(read(dir.resolve("chunks.log"))).hasSize(2048 * 1024 + 4);
    }

    @Test
    void aLineLargerThanTheWholeBoundIsDroppedAndReported() throws Exception {
        LogWriter w = writer(10);
        w.start();
        LogTarget target = w.open("huge.log", dir);
        CountDownLatch called = new CountDownLatch(1);
        target.append(bytes("this line is longer than ten bytes\n"), Runnable::run, called::countDown);
        assertThat(called.getCount()).isZero();
        // The writer was parked with nothing queued; the drop itself woke it to warn.
        await().atMost(Duration.ofSeconds(10)).until(() -> warnings.size() == 1);
        assertThat(w.droppedLines()).isEqualTo(1);
    }

    @Test
    void failedWritesAreReportedOnceASecondAndCallbacksStillRun() throws Exception {
        Assumptions.assumeTrue(Files.isWritable(Path.of("/dev/full")), "needs /dev/full (every write: ENOSPC)");
        LogWriter w = writer(LogWriter.DEFAULT_MAX_QUEUED_BYTES);
        w.start();
        LogTarget full = w.open("/dev/full", null);
        awaitWritten(full, "lost\n");
        assertThat(warnings).containsExactly("write() to \"/dev/full\" failed (28: No space left on device)");
        awaitWritten(full, "lost too\n");
        awaitWritten(full, "and this\n");
        assertThat(warnings).hasSize(1);
        nanos.addAndGet(TimeUnit.SECONDS.toNanos(1));
        awaitWritten(full, "again\n");
        assertThat(warnings).last().asString().isEqualTo(
                "write() to \"/dev/full\" failed (28: No space left on device) (2 similar failures not shown)");
    }
}
