package io.tunnelgate.script;

/**
 * Reads one variable's value from a request.
 *
 * <p>Returns {@code null} when the variable is "not found" (nginx logs that as {@code -}) and the
 * empty string when it is found but empty (logged as nothing). Values are strings whose chars are
 * bytes (ISO-8859-1), the way Netty hands over header bytes.
 *
 * @param <C> the request type variables are read from
 */
@FunctionalInterface
public interface Getter<C> {
    String get(C ctx);
}
