package io.tunnelgate.testsupport;

import java.io.BufferedReader;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.stream.Stream;

/**
 * Lowers this JVM's open-files limit (RLIMIT_NOFILE, soft) so that only a few more descriptors can
 * be opened, then puts it back: how a test makes the proxy in this JVM run out of descriptors at a
 * chosen moment. The limit is set by {@code prlimit} from a helper shell started beforehand, since
 * starting a process needs descriptors the lowered limit would refuse.
 */
public final class DescriptorLimit implements AutoCloseable {
    private final Process helper;
    private final Writer commands;
    private final BufferedReader replies;
    private final String original;

    public DescriptorLimit() throws IOException {
        original = softLimit();
        long pid = ProcessHandle.current().pid();
        helper = new ProcessBuilder("bash", "-c",
                "while read n; do prlimit --pid " + pid + " --nofile=$n: && echo ok || echo failed; done")
                .redirectErrorStream(true).start();
        commands = helper.outputWriter(StandardCharsets.US_ASCII);
        replies = helper.inputReader(StandardCharsets.US_ASCII);
    }

    /** Sets the soft limit so that exactly {@code n} more descriptors can be opened from now on. */
    public void leaveFree(int n) throws IOException {
        BitSet used = new BitSet();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            fds.forEach(p -> used.set(Integer.parseInt(p.getFileName().toString())));
        }
        // the kernel hands out the lowest free number below the limit; the listing counted its own
        // descriptor, closed again since, so the first guess may leave one too many free
        int limit = -1;
        for (int i = 0; i <= n; i++) {
            limit = used.nextClearBit(limit + 1);
            used.set(limit);
        }
        apply(Integer.toString(limit));
        while (openable(n + 1) > n) {
            apply(Integer.toString(--limit));
        }
    }

    /** How many descriptors can be opened now, counting to at most {@code most}; all closed again. */
    private static int openable(int most) {
        List<FileInputStream> opened = new ArrayList<>();
        try {
            while (opened.size() < most) {
                opened.add(new FileInputStream("/dev/null"));
            }
        } catch (IOException e) {
            // EMFILE: the limit is reached
        } finally {
            for (FileInputStream in : opened) {
                try {
                    in.close();
                } catch (IOException ignored) {
                    // /dev/null closes
                }
            }
        }
        return opened.size();
    }

    @Override
    public void close() throws IOException {
        try {
            apply(original);
        } finally {
            commands.close();
            helper.destroy();
        }
    }

    private void apply(String soft) throws IOException {
        commands.write(soft + "\n");
        commands.flush();
        String reply = replies.readLine();
        if (!"ok".equals(reply)) {
            throw new IOException("prlimit --nofile=" + soft + ": " + reply);
        }
    }

    private static String softLimit() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max open files")) {
                    return line.substring("Max open files".length()).trim().split("\\s+")[0];
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("no open-files limit in /proc/self/limits");
    }
}
