package io.tunnelgate.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.channel.epoll.Epoll;
import io.netty.channel.uring.IoUring;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code proxy_connect_bind ... transparent} (IP_TRANSPARENT on epoll and io_uring): binding an address that
 * no interface has gets past the bind with {@code transparent} and fails without it (500 and the
 * crit line). The proof needs such an address, so it runs in a network namespace the test creates
 * with {@code ip netns}: it has only {@code lo}, so no packet can leave the machine, and a policy
 * route there delivers the origin's replies to {@value TransparentBindProbe#SOURCE} back through
 * {@code lo}, so the tunnel completes and the origin names the source it saw. The proxy and the
 * clients run in a child JVM ({@link TransparentBindProbe}) started inside the namespace.
 *
 * <p>Skipped where the machine does not allow creating a namespace (not Linux, no {@code ip}, no
 * CAP_SYS_ADMIN) or has not the transport.
 */
class TransparentBindTest {
    private static final long STEP_SECONDS = 30;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"epoll", "io_uring"})
    void transparentBindsAnAddressNoInterfaceHasAndPlainBindCannot(String transport) throws Exception {
        Throwable unavailable = transport.equals("epoll") ? Epoll.unavailabilityCause() : IoUring.unavailabilityCause();
        assumeTrue(unavailable == null, () -> "no " + transport + " here: " + unavailable);
        String ns = "tg-" + ProcessHandle.current().pid() + "-" + ThreadLocalRandom.current().nextInt(1 << 20);
        Result add = run("ip", "netns", "add", ns);
        assumeTrue(add.code() == 0, "cannot create a network namespace here: " + add.output());
        try {
            inNamespace(ns, "ip", "link", "set", "lo", "up");
            assertThat(inNamespace(ns, "ip", "-o", "link").lines().toList())
                    .as("the namespace has no interface but lo").singleElement().asString().contains(": lo:");
            // the origin's replies to the source address are delivered locally, through lo
            inNamespace(ns, "ip", "route", "add", "local", TransparentBindProbe.SOURCE + "/32", "dev", "lo",
                    "table", "100");
            inNamespace(ns, "ip", "rule", "add", "to", TransparentBindProbe.SOURCE, "lookup", "100");

            List<String> lines = probe(ns, transport);
            assertThat(lines).contains("transparent 200 " + TransparentBindProbe.SOURCE);
            assertThat(lines).contains("plain 500 -");
            assertThat(lines).anyMatch(l -> l.contains("[crit]") && l.contains("bind("
                    + TransparentBindProbe.SOURCE + ") failed (99: Cannot assign requested address)"));
        } finally {
            run("ip", "netns", "del", ns);
        }
    }

    /** Runs the probe in a child JVM inside the namespace and returns what it printed. */
    private List<String> probe(String ns, String transport) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", ns, java.toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                TransparentBindProbe.class.getName(), dir.toString(), transport));
        Path out = dir.resolve("probe.out");
        Path err = dir.resolve("probe.err");
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                throw new AssertionError("the probe did not finish; stderr:\n" + Files.readString(err));
            }
        } finally {
            p.destroyForcibly();
        }
        assertThat(p.exitValue()).as("probe exit; stderr:\n%s", Files.readString(err)).isZero();
        return Files.readAllLines(out, StandardCharsets.UTF_8);
    }

    private static String inNamespace(String ns, String... command) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        full.addAll(List.of(command));
        Result r = run(full.toArray(String[]::new));
        assertThat(r.code()).as("%s: %s", full, r.output()).isZero();
        return r.output();
    }

    /** A command's exit code and its merged output. */
    private record Result(int code, String output) {
    }

    private static Result run(String... command) throws InterruptedException {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
            byte[] output = p.getInputStream().readAllBytes();
            if (!p.waitFor(STEP_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, String.join(" ", command) + " did not finish");
            }
            return new Result(p.exitValue(), new String(output, StandardCharsets.UTF_8));
        } catch (IOException e) {
            // no "ip" binary: the caller's assumption reports it
            return new Result(-1, e.toString());
        }
    }
}
