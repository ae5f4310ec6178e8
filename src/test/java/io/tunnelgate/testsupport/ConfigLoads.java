package io.tunnelgate.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.tunnelgate.config.ConfigException;
import io.tunnelgate.config.ConfigReader;
import io.tunnelgate.log.LogClock;
import io.tunnelgate.log.LogWriter;
import io.tunnelgate.server.Configs;
import io.tunnelgate.server.ProxyConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Loads configurations the way the proxy does ({@link Configs#load}), for tests of what a load
 * builds or refuses, with a log writer running for the test. Register it on an instance field with
 * {@code @RegisterExtension}: the writer stops after each test.
 */
public final class ConfigLoads implements AfterEachCallback {
    private final LogWriter writer = new LogWriter();

    public ConfigLoads() {
        writer.start();
    }

    /** {@code text} as if read from {@code dir/t.conf}, with {@code dir} as the prefix. */
    public ProxyConfig load(String text, Path dir) throws ConfigException {
        return Configs.load(ConfigReader.read(text, dir.resolve("t.conf")), null, dir, writer, new LogClock());
    }

    /** The main file {@code file}, read from disk, with {@code prefix}. */
    public ProxyConfig load(Path file, Path prefix) throws ConfigException {
        return Configs.load(ConfigReader.read(file), file, prefix, writer, new LogClock());
    }

    /**
     * The reason {@code text} (loaded as {@code dir/t.conf}) is refused for, after checking that
     * the error names {@code line} of that file.
     */
    public String refusal(String text, Path dir, int line) {
        ConfigException e = (ConfigException) catchThrowable(() -> load(text, dir));
        assertThat(e).as("loading should fail:\n" + text).isNotNull();
        assertThat(e.pos().line()).as(e.getMessage()).isEqualTo(line);
        assertThat(e.getMessage()).endsWith(dir.resolve("t.conf") + ":" + line);
        return e.reason();
    }

    /** An events block whose body starts at line 2, and an http block with one CONNECT server on 127.0.0.1:8080. */
    public static String events(String body) {
        return "events {\n" + body + "\n}\nhttp {\n server {\n  listen 127.0.0.1:8080;\n  proxy_connect;\n }\n}\n";
    }

    /** An http block with one server on 127.0.0.1:8080 whose body starts at line 4. */
    public static String server(String body) {
        return "http {\n server {\n listen 127.0.0.1:8080;\n" + body + "\n }\n}\n";
    }

    @Override
    public void afterEach(ExtensionContext context) {
        writer.close();
    }
}
