package io.tunnelgate.log;

import io.tunnelgate.script.CountGetter;
import io.tunnelgate.script.Getter;
import io.tunnelgate.script.ScriptContext;
import io.tunnelgate.script.Template;
import io.tunnelgate.script.VariableTable;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A compiled nginx {@code log_format}: literal bytes and variable getters, formatted into a
 * reused {@link LineBuilder} so that logging a request allocates only the finished line (and the
 * values of variables that are made per read; counts such as {@code $bytes_sent} are not).
 *
 * <p>Not-found values print as {@code -} (nothing with {@code escape=json}), found-but-empty ones
 * as nothing, and values are escaped per the format's {@link Escape} (spec §3.10).
 *
 * @param <C> the request type variables are read from
 */
public final class LogFormat<C extends ScriptContext> {
    /** nginx's predefined {@code combined} format. */
    public static final String COMBINED = "$remote_addr - $remote_user [$time_local] \"$request\" $status "
            + "$body_bytes_sent \"$http_referer\" \"$http_user_agent\"";

    private final String name;
    private final Escape escape;
    private final byte[][] literals;
    private final Getter<C>[] getters;

    private LogFormat(String name, Escape escape, byte[][] literals, Getter<C>[] getters) {
        this.name = name;
        this.escape = escape;
        this.literals = literals;
        this.getters = getters;
    }

    /**
     * Compiles a format.
     *
     * @throws IllegalArgumentException with nginx's message for an unknown or malformed variable
     */
    @SuppressWarnings("unchecked")
    public static <C extends ScriptContext> LogFormat<C> compile(String name, String format, Escape escape,
                                                                  VariableTable<C> table, Object site) {
        List<Template.Part> parts = Template.split(format);
        byte[][] literals = new byte[parts.size()][];
        Getter<C>[] getters = new Getter[parts.size()];
        for (int i = 0; i < parts.size(); i++) {
            Template.Part p = parts.get(i);
            if (p.isVariable()) {
                getters[i] = table.require(p.name(), site);
            } else {
                literals[i] = p.literal().getBytes(StandardCharsets.UTF_8);
            }
        }
        return new LogFormat<>(name, escape, literals, getters);
    }

    public String name() {
        return name;
    }

    /** Appends the line for {@code ctx}, with its trailing newline, to {@code out}. */
    public void format(C ctx, LineBuilder out) {
        for (int i = 0; i < getters.length; i++) {
            Getter<C> g = getters[i];
            if (g == null) {
                out.append(literals[i]);
                continue;
            }
            if (g instanceof CountGetter<C> count) {
                out.appendLong(count.count(ctx));
                continue;
            }
            String v = g.get(ctx);
            if (v == null) {
                if (escape != Escape.JSON) {
                    out.append((byte) '-');
                }
            } else {
                out.appendEscaped(v, escape);
            }
        }
        out.append((byte) '\n');
    }
}
