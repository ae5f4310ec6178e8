package io.tunnelgate.script;

/**
 * Makes the getters of a variable family such as {@code $http_NAME} or {@code $cookie_NAME}: one
 * per member a config uses, made when the config is compiled, so that what follows from the name
 * alone (the header name {@code User-Agent} of {@code $http_user_agent}) is worked out once
 * rather than for every request.
 *
 * @param <C> the request type variables are read from
 */
@FunctionalInterface
public interface PrefixGetter<C> {
    /**
     * @param suffix the part of the variable name after the prefix, lower case as written
     * @return the member's getter, which returns {@code null} when the value is not found
     */
    Getter<C> member(String suffix);
}
