package io.tunnelgate.cli;

import io.tunnelgate.Version;
import io.tunnelgate.config.ConfigException;
import io.tunnelgate.http.Addresses;
import io.tunnelgate.log.LogClock;
import io.tunnelgate.log.LogLevel;
import io.tunnelgate.log.LogWriter;
import io.tunnelgate.server.ProxyConfig;
import io.tunnelgate.server.ProxyServer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import sun.misc.Signal;

/**
 * Runs the proxy in the foreground: loads the config, starts the server, writes the pid file,
 * and waits for SIGTERM or SIGINT to stop accepting, close every tunnel, flush the logs and exit 0.
 * SIGUSR1 reopens the log files (nginx's {@code -s reopen}), for log rotation.
 */
final class Runner {
    private final PrintStream out;
    private final PrintStream err;
    private final CountDownLatch stop = new CountDownLatch(1);

    Runner(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    int run(Path file, Path prefix, String name) {
        LogWriter writer = new LogWriter();
        writer.start();
        LogClock clock = new LogClock();
        ProxyConfig config;
        try {
            config = Main.load(file, prefix, writer, clock);
        } catch (ConfigException e) {
            err.println("tunnelgate: [emerg] " + e.getMessage());
            writer.close();
            return 1;
        }
        for (String w : config.warnings()) {
            err.println("tunnelgate: [warn] " + w);
        }
        ProxyServer server;
        try {
            server = ProxyServer.start(config, clock);
        } catch (IOException e) {
            err.println("tunnelgate: [emerg] " + e.getMessage());
            writer.close();
            return 1;
        }
        Path pid = config.process().pidFile();
        if (!writePid(pid)) {
            server.stop();
            writer.close();
            return 1;
        }
        installSignals(writer);
        err.println("tunnelgate: " + Version.PRODUCT + " listening on "
                + server.boundAddresses().stream().map(Addresses::text).collect(Collectors.joining(", "))
                + " (" + config.process().transport().label() + ", " + config.process().workers()
                + " event loops" + (config.process().busyPollMicros() > 0
                        ? ", busy_poll " + config.process().busyPollMicros() + "us" : "")
                + "), config " + name);
        config.process().errorLog().log(LogLevel.NOTICE, "start: " + Version.PRODUCT + ", config " + name);
        awaitStop();
        config.process().errorLog().log(LogLevel.NOTICE, "exiting");
        server.stop();
        writer.close();
        deletePid(pid);
        return 0;
    }

    private void awaitStop() {
        while (true) {
            try {
                stop.await();
                return;
            } catch (InterruptedException e) {
                // only a signal ends the wait
            }
        }
    }

    private void installSignals(LogWriter writer) {
        Signal.handle(new Signal("TERM"), s -> stop.countDown());
        Signal.handle(new Signal("INT"), s -> stop.countDown());
        Signal.handle(new Signal("USR1"), s -> writer.reopen());
        // nginx reloads on HUP; until reload exists, HUP must not kill the proxy (the JVM default)
        Signal.handle(new Signal("HUP"), s -> err.println(
                "tunnelgate: [notice] SIGHUP ignored: configuration reload is not supported in this version"));
    }

    private boolean writePid(Path pid) {
        if (pid == null) {
            return true;
        }
        try {
            Files.writeString(pid, ProcessHandle.current().pid() + "\n");
            return true;
        } catch (IOException e) {
            err.println("tunnelgate: [emerg] open() \"" + pid + "\" failed (" + e.getMessage() + ")");
            return false;
        }
    }

    private static void deletePid(Path pid) {
        if (pid != null) {
            try {
                Files.deleteIfExists(pid);
            } catch (IOException e) {
                // the process is exiting; a stale pid file is all that is left
            }
        }
    }
}
