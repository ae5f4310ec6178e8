package io.tunnelgate.cli;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tunnelgate's {@code main} in a child JVM (the test JVM's {@code java} and class path), as an
 * operator runs it. Its stdout and stderr go to files in the test directory, so the child never
 * blocks on a full pipe and the test reads what it printed at any time.
 */
final class ChildProxy implements AutoCloseable {
    /** The start-up line of {@code Runner}. */
    static final Pattern STARTED = Pattern.compile(
            "tunnelgate: tunnelgate/\\S+ listening on (\\S+) \\((epoll|io_uring|nio), (\\d+) event loops\\), config (.+)");

    private final Process process;
    private final Path stdout;
    private final Path stderr;

    private ChildProxy(Process process, Path stdout, Path stderr) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /** Starts {@code tunnelgate args...} in {@code dir} (also its working directory). */
    static ChildProxy start(Path dir, String... args) {
        return start(dir, List.of(), args);
    }

    /** Like {@link #start(Path, String...)}, with options for the child JVM ({@code -Dname=value} ...). */
    static ChildProxy start(Path dir, List<String> jvmOptions, String... args) {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(),
                // a short-lived JVM: start fast rather than run fast
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        Path out = dir.resolve("child.stdout");
        Path err = dir.resolve("child.stderr");
        try {
            Process p = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            return new ChildProxy(p, out, err);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    long pid() {
        return process.pid();
    }

    Process process() {
        return process;
    }

    /** Everything the child wrote to stderr so far. */
    String stderr() {
        return read(stderr);
    }

    /** Everything the child wrote to stdout so far. */
    String stdout() {
        return read(stdout);
    }

    /**
     * Waits for the start-up line; fails early with the child's stderr if it exits first.
     *
     * @return the matched line
     */
    Matcher awaitStarted() {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20)).until(() -> {
            if (!process.isAlive()) {
                throw new AssertionError("the proxy exited with " + process.exitValue() + " before it started:\n"
                        + stderr());
            }
            return stderr().lines().anyMatch(l -> STARTED.matcher(l).matches());
        });
        String line = stderr().lines().filter(l -> STARTED.matcher(l).matches()).findFirst().orElseThrow();
        Matcher m = STARTED.matcher(line);
        if (!m.matches()) {
            throw new AssertionError(line);
        }
        return m;
    }

    /** Waits for the child to exit and returns its exit code. */
    int awaitExit() throws InterruptedException {
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            throw new AssertionError("the proxy did not exit; stderr:\n" + stderr());
        }
        return process.exitValue();
    }

    /** Sends a signal with kill(1), for signals {@link Process} has no method for. */
    void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new AssertionError("kill -" + name + " failed");
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
