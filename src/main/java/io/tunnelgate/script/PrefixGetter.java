package io.tunnelgate.script;

/**
 * Reads a member of a variable family such as {@code $http_NAME} or {@code $cookie_NAME}.
 *
 * @param <C> the request type variables are read from
 */
@FunctionalInterface
public interface PrefixGetter<C> {
    /**
     * @param suffix the part of the variable name after the prefix, lower case as written
     * @return the value, or {@code null} when not found
     */
    String get(C ctx, String suffix);
}
