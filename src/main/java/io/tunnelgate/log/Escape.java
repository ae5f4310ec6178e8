package io.tunnelgate.log;

/**
 * How a variable's value is escaped in an access-log line: nginx's {@code log_format ... escape=}
 * parameter. Literal text of a format is never escaped; only variable values are.
 */
public enum Escape {
    /**
     * nginx's default: {@code "}, {@code \}, bytes below 0x20 and bytes from 0x7f up become
     * {@code \xHH} (uppercase hex), so a hostile header can neither break a quoted field nor
     * start a new line.
     */
    DEFAULT,
    /**
     * JSON string content: {@code \"}, {@code \\}, {@code \n \r \t \b \f}, other bytes below
     * 0x20 as <code>&#92;u00XX</code> (uppercase hex, as nginx writes them); everything else as is.
     */
    JSON,
    /** No escaping at all: the operator asked for raw bytes. */
    NONE;

    /**
     * The mode for an {@code escape=} value as written in a config ({@code default},
     * {@code json}, {@code none}; case-sensitive like nginx), or {@code null} when the name is
     * unknown, so the config parser can word its own error.
     */
    public static Escape parse(String name) {
        if (name == null) {
            return null;
        }
        return switch (name) {
            case "default" -> DEFAULT;
            case "json" -> JSON;
            case "none" -> NONE;
            default -> null;
        };
    }
}
