package io.tunnelgate;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The version string, taken from the build (pom) so -V, Server headers and docs agree. */
public final class Version {
    /** e.g. {@code 0.1.0}. */
    public static final String VERSION = load();
    /** {@code tunnelgate/<version>}, as nginx's {@code NGINX_VER}. */
    public static final String PRODUCT = "tunnelgate/" + VERSION;

    private Version() {
    }

    private static String load() {
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return "dev";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "dev");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
