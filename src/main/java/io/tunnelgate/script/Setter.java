package io.tunnelgate.script;

/**
 * Writes a variable for one request ({@code set $var value}). Module variables such as
 * {@code $proxy_connect_connect_timeout} parse the value; user variables store it.
 *
 * @param <C> the request type
 */
@FunctionalInterface
public interface Setter<C> {
    void set(C ctx, String value);
}
