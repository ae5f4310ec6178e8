package io.tunnelgate.config;

/**
 * A configuration error, worded like nginx's: a reason, then {@code in file:line} when the place
 * is known, e.g. {@code unknown directive "foo" in /etc/tunnelgate.conf:12}.
 */
public final class ConfigException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String reason;
    private final transient SourcePos pos;

    /**
     * Creates an error.
     *
     * @param reason what is wrong, without the position
     * @param pos where, or null when the error has no place in a file (e.g. the main file is missing)
     */
    public ConfigException(String reason, SourcePos pos) {
        super(pos == null ? reason : reason + " in " + pos);
        this.reason = reason;
        this.pos = pos;
    }

    /** The reason alone, without {@code in file:line}. */
    public String reason() {
        return reason;
    }

    /** Where the error was detected, or null. */
    public SourcePos pos() {
        return pos;
    }
}
