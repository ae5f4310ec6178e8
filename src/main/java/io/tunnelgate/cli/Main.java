package io.tunnelgate.cli;

import io.tunnelgate.Version;
import io.tunnelgate.config.ConfigException;
import io.tunnelgate.config.ConfigReader;
import io.tunnelgate.log.LogClock;
import io.tunnelgate.log.LogWriter;
import io.tunnelgate.server.Configs;
import io.tunnelgate.server.ProxyConfig;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The command line, shaped like nginx's: {@code -c} config, {@code -p} prefix, {@code -t}/{@code -T}
 * to test (and print) the config, {@code -V} version. Without {@code -t}, runs the proxy in the
 * foreground until SIGTERM or SIGINT.
 */
@Command(name = "tunnelgate", mixinStandardHelpOptions = false, sortOptions = false,
        description = "HTTP forward proxy (CONNECT tunnels) that reads ngx_http_proxy_connect_module configs.")
public final class Main implements Callable<Integer> {
    @Option(names = "-c", paramLabel = "FILE", description = "configuration file (default: the built-in config)")
    Path configFile;

    @Option(names = "-p", paramLabel = "PREFIX",
            description = "prefix that relative paths in the config resolve against (default: current directory)")
    Path prefix;

    @Option(names = "-t", description = "test the configuration and exit")
    boolean test;

    @Option(names = "-T", description = "test the configuration, print it, and exit")
    boolean testAndDump;

    @Option(names = "-q", description = "suppress non-error messages while testing the configuration")
    boolean quiet;

    @Option(names = {"-V", "-v"}, description = "print version and build information and exit")
    boolean version;

    @Option(names = {"-h", "-?"}, usageHelp = true, description = "print this help and exit")
    boolean help;

    private final PrintStream err;
    private final PrintStream out;

    Main(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Parses the arguments and runs; returns the exit code (used by tests). */
    static int run(String[] args, PrintStream out, PrintStream err) {
        CommandLine cl = new CommandLine(new Main(out, err));
        cl.setOut(new java.io.PrintWriter(out, true));
        cl.setErr(new java.io.PrintWriter(err, true));
        return cl.execute(args);
    }

    @Override
    public Integer call() {
        if (version) {
            out.println("tunnelgate version: " + Version.PRODUCT);
            out.println("built on Netty " + io.netty.util.Version.identify().values().stream()
                    .filter(v -> v.artifactId().equals("netty-common")).findFirst()
                    .map(io.netty.util.Version::artifactVersion).orElse("?")
                    + ", running on Java " + Runtime.version());
            return 0;
        }
        Path pfx = prefix != null ? prefix : Path.of("").toAbsolutePath();
        Path file = configFile == null ? null : configFile.isAbsolute() ? configFile : pfx.resolve(configFile);
        String name = file == null ? "(built-in)" : file.toString();
        if (test || testAndDump) {
            return testConfig(file, pfx, name);
        }
        return new Runner(out, err).run(file, pfx, name);
    }

    private int testConfig(Path file, Path pfx, String name) {
        try (LogWriter writer = new LogWriter()) {
            writer.start();
            ProxyConfig config = load(file, pfx, writer, new LogClock());
            for (String w : config.warnings()) {
                err.println("tunnelgate: [warn] " + w);
            }
            if (!quiet) {
                err.println("tunnelgate: the configuration file " + name + " syntax is ok");
                err.println("tunnelgate: configuration file " + name + " test is successful");
            }
            if (testAndDump) {
                for (ConfigReader.LoadedFile f : config.files()) {
                    out.println("# configuration file " + (file == null ? name : f.path()) + ":");
                    out.print(f.text());
                    out.println();
                }
            }
            return 0;
        } catch (ConfigException e) {
            err.println("tunnelgate: [emerg] " + e.getMessage());
            err.println("tunnelgate: configuration file " + name + " test failed");
            return 1;
        }
    }

    /** Reads and loads the config file, or the built-in config when {@code file} is null. */
    static ProxyConfig load(Path file, Path pfx, LogWriter writer, LogClock clock) throws ConfigException {
        ConfigReader.Result parsed = file == null
                ? ConfigReader.read(Configs.BUILT_IN, pfx.resolve("tunnelgate-built-in.conf"))
                : ConfigReader.read(file);
        return Configs.load(parsed, file, pfx, writer, clock);
    }
}
