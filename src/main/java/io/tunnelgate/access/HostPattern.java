package io.tunnelgate.access;

import io.tunnelgate.script.ComplexValue;
import io.tunnelgate.script.ScriptContext;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One argument of {@code destination_host_allow} / {@code destination_host_deny}, matched against
 * a destination host already in the form {@link DestinationPolicy#hostSubject} gives (lower case,
 * no trailing dot, IPv6 without brackets).
 *
 * @param <C> the request type a variable is read from
 */
@FunctionalInterface
public interface HostPattern<C extends ScriptContext> {
    /** Whether the pattern covers {@code host} for this request. */
    boolean matches(C ctx, String host);

    /** {@code all}. */
    static <C extends ScriptContext> HostPattern<C> all() {
        return (ctx, host) -> true;
    }

    /** A name, compared ignoring case (a trailing dot does not count). */
    static <C extends ScriptContext> HostPattern<C> exact(String name) {
        String n = DestinationPolicy.hostSubject(name);
        return (ctx, host) -> host.equals(n);
    }

    /** {@code *.example.com}: any name below {@code example.com}, not the name itself. */
    static <C extends ScriptContext> HostPattern<C> subdomains(String parent) {
        String suffix = "." + DestinationPolicy.hostSubject(parent);
        return (ctx, host) -> host.length() > suffix.length() && host.endsWith(suffix);
    }

    /** {@code .example.com}: the name and any name below it. */
    static <C extends ScriptContext> HostPattern<C> domain(String name) {
        String n = DestinationPolicy.hostSubject(name);
        String suffix = "." + n;
        return (ctx, host) -> host.equals(n) || host.endsWith(suffix);
    }

    /**
     * {@code ~regex} or {@code ~*regex}, found anywhere in the name as PCRE does. Unlike {@code if}
     * it sets no captures: a policy check must not change what {@code $1} means later.
     *
     * @throws IllegalArgumentException naming the pattern when it does not compile
     */
    static <C extends ScriptContext> HostPattern<C> regex(String text, boolean caseless) {
        Pattern p;
        try {
            p = Pattern.compile(text.replace("(?P<", "(?<"), caseless ? Pattern.CASE_INSENSITIVE : 0);
        } catch (java.util.regex.PatternSyntaxException e) {
            throw new IllegalArgumentException("invalid regex \"" + text + "\": " + e.getDescription());
        }
        return (ctx, host) -> p.matcher(host).find();
    }

    /** {@code $name}: matches any host when the value is neither empty nor {@code "0"} for this request. */
    static <C extends ScriptContext> HostPattern<C> variable(ComplexValue<C> value) {
        return (ctx, host) -> {
            String v = value.evaluate(ctx);
            return !v.isEmpty() && !v.equals("0");
        };
    }

    /** Lower case without locale surprises (a Turkish default locale must not change {@code I}). */
    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
