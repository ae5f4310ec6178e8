package io.tunnelgate.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real {@code curl} binary. Every run gets {@code -q} (ignore {@code ~/.curlrc}), {@code --silent
 * --show-error}, and {@code --max-time 20} unless the arguments set a max time; proxy environment variables are
 * removed from the child, so only an explicit {@code -x} proxy is used.
 */
public final class Curl {

    /** Hard limit for the process, above curl's own {@code --max-time}. */
    public static final Duration PROCESS_TIMEOUT = Duration.ofSeconds(30);

    private static final List<String> PROXY_ENV = List.of("http_proxy", "https_proxy", "all_proxy", "no_proxy",
            "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY", "ftp_proxy", "FTP_PROXY", "CURL_HOME");
    private static Boolean available;

    /**
     * What a run produced; output is decoded as UTF-8.
     *
     * @param exitCode curl's exit status (0 = success; 7 = could not connect, 28 = timeout, 56 = receive error...)
     * @param stdout   standard output (the body, or what {@code -w} printed)
     * @param stderr   standard error ({@code --show-error} messages, {@code -v} traces)
     */
    public record Result(int exitCode, String stdout, String stderr) {
    }

    private Curl() {
    }

    /** Whether a {@code curl} binary runs here (checked once). */
    public static synchronized boolean available() {
        if (available == null) {
            try {
                available = run("--version").exitCode() == 0;
            } catch (RuntimeException e) {
                available = false;
            }
        }
        return available;
    }

    /** Runs {@code curl} with the standard flags and {@code args}, waiting for it to finish. */
    public static Result run(String... args) {
        return run(List.of(args));
    }

    /** Runs {@code curl} with the standard flags and {@code args}, waiting for it to finish. */
    public static Result run(List<String> args) {
        List<String> command = new ArrayList<>(List.of("curl", "-q", "--silent", "--show-error"));
        if (!args.contains("--max-time") && !args.contains("-m")) {
            command.addAll(List.of("--max-time", "20"));
        }
        command.addAll(args);
        try {
            Path stdout = Files.createTempFile("curl", ".out");
            Path stderr = Files.createTempFile("curl", ".err");
            try {
                return execute(command, stdout, stderr);
            } finally {
                Files.deleteIfExists(stdout);
                Files.deleteIfExists(stderr);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not run " + command, e);
        }
    }

    /** Output goes to files rather than pipes, so no reader threads are needed and no pipe can fill up. */
    private static Result execute(List<String> command, Path stdout, Path stderr) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        Map<String, String> env = builder.environment();
        PROXY_ENV.forEach(env::remove);
        Process process = builder.start();
        try {
            if (!process.waitFor(PROCESS_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("curl did not finish within " + PROCESS_TIMEOUT + ": " + command
                        + "\nstderr: " + Files.readString(stderr));
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + command, e);
        }
        return new Result(process.exitValue(), Files.readString(stdout, StandardCharsets.UTF_8),
                Files.readString(stderr, StandardCharsets.UTF_8));
    }
}
