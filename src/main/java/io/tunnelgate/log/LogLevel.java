package io.tunnelgate.log;

import java.util.Locale;

/**
 * nginx's error-log severities, least severe first, so that {@code ordinal()} order is severity
 * order: a log at level L takes every message at L or above.
 */
public enum LogLevel {
    /** Detail for developers. */
    DEBUG,
    /** Normal events worth a line (a client closing early). */
    INFO,
    /** Normal but significant events. */
    NOTICE,
    /** Something odd that did not fail a request. */
    WARN,
    /** A request failed (nginx's default level). */
    ERROR,
    /** A critical condition. */
    CRIT,
    /** Action must be taken immediately (e.g. a log write failed). */
    ALERT,
    /** The server is unusable. */
    EMERG;

    private final String label = name().toLowerCase(Locale.ROOT);

    /** The nginx name: {@code debug}, {@code info}, ... {@code emerg}. */
    public String label() {
        return label;
    }

    /**
     * The level for an nginx level name (lowercase, as nginx requires), or {@code null} when the
     * name is unknown, so the config parser can word its own error.
     */
    public static LogLevel parse(String name) {
        if (name == null) {
            return null;
        }
        for (LogLevel level : values()) {
            if (level.label.equals(name)) {
                return level;
            }
        }
        return null;
    }

    /** Whether a message at this level passes a log set to {@code threshold}. */
    public boolean atLeast(LogLevel threshold) {
        return ordinal() >= threshold.ordinal();
    }
}
