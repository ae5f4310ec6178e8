package io.tunnelgate.script;

/**
 * What a request offers compiled scripts: per-request storage for variables that hold values
 * (user variables from {@code set}, cached {@code map} results, named regex captures), the
 * captures of the last successful regex match, and a place for the warnings nginx logs.
 */
public interface ScriptContext {
    /** The value in slot {@code index}, or null when nothing was stored there for this request. */
    Object slot(int index);

    /** Stores a value in slot {@code index}. */
    void slot(int index, Object value);

    /** The groups of the last successful regex match of this request, or null. */
    Captures captures();

    void captures(Captures captures);

    /**
     * The warn-level error-log line about a variable read before any {@code set} gave it a value;
     * like nginx, written only where {@code uninitialized_variable_warn} is on.
     */
    void scriptWarning(String message);

    /** The URI {@code rewrite} matches against ({@code $uri}). */
    String scriptUri();

    /** The arguments {@code rewrite} keeps or replaces ({@code $args}). */
    String scriptArgs();

    /** Sets a new URI and arguments after a {@code rewrite}. */
    void rewriteUri(String uri, String args);
}
