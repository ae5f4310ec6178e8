package io.tunnelgate.script;

/**
 * A variable whose value is always a count (bytes, request numbers): an access-log line appends
 * its digits without making a string first. As a {@link Getter} it gives the same decimal text.
 *
 * @param <C> the request type variables are read from
 */
@FunctionalInterface
public interface CountGetter<C> extends Getter<C> {
    long count(C ctx);

    @Override
    default String get(C ctx) {
        return Long.toString(count(ctx));
    }
}
