package io.tunnelgate.config;

import java.util.Objects;

/**
 * One directive argument after escape decoding.
 *
 * <p>Quoting is kept because some directives treat a quoted word differently from a bare one
 * (nginx's {@code if} and {@code map} do: {@code "~x"} is a string, {@code ~x} a regex).
 *
 * @param value the decoded text
 * @param quoted true when the token was written in single or double quotes
 */
public record Arg(String value, boolean quoted) {

    /** Rejects a null value; an empty quoted token is the empty string. */
    public Arg {
        Objects.requireNonNull(value, "value");
    }
}
