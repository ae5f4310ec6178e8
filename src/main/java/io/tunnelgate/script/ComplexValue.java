package io.tunnelgate.script;

import java.util.List;

/**
 * A config string with variables, compiled once at load and evaluated per request (nginx's
 * "complex value", e.g. {@code return 200 "host is $host\n"}).
 *
 * <p>A value without variables is a constant and evaluates without any work. Not-found variables
 * contribute nothing, as in nginx.
 *
 * @param <C> the request type variables are read from
 */
public final class ComplexValue<C extends ScriptContext> {
    private final String source;
    private final String constant;
    private final String[] literals;
    private final Getter<C>[] getters;

    private ComplexValue(String source, String constant, String[] literals, Getter<C>[] getters) {
        this.source = source;
        this.constant = constant;
        this.literals = literals;
        this.getters = getters;
    }

    /**
     * Compiles {@code text} against {@code table}.
     *
     * @param site where the value is written, for an unknown variable reported at the end of loading
     * @throws IllegalArgumentException with nginx's message for a malformed reference
     */
    @SuppressWarnings("unchecked")
    public static <C extends ScriptContext> ComplexValue<C> compile(String text, VariableTable<C> table,
                                                                     Object site) {
        if (!Template.hasVariables(text)) {
            return new ComplexValue<>(text, text, null, null);
        }
        List<Template.Part> parts = Template.split(text);
        String[] literals = new String[parts.size()];
        Getter<C>[] getters = new Getter[parts.size()];
        for (int i = 0; i < parts.size(); i++) {
            Template.Part p = parts.get(i);
            if (p.isVariable()) {
                getters[i] = table.require(p.name(), site);
            } else {
                literals[i] = p.literal();
            }
        }
        return new ComplexValue<>(text, null, literals, getters);
    }

    /** A value that is just {@code text}, with no variables. */
    public static <C extends ScriptContext> ComplexValue<C> constant(String text) {
        return new ComplexValue<>(text, text, null, null);
    }

    public boolean isConstant() {
        return constant != null;
    }

    /** The text as written in the config. */
    public String source() {
        return source;
    }

    /** Evaluates the value for one request. */
    public String evaluate(C ctx) {
        if (constant != null) {
            return constant;
        }
        if (getters.length == 1) {
            // just "$name": the variable's own string, without a copy
            String v = getters[0].get(ctx);
            return v != null ? v : "";
        }
        StringBuilder sb = new StringBuilder(64);
        for (int i = 0; i < getters.length; i++) {
            if (getters[i] == null) {
                sb.append(literals[i]);
            } else {
                String v = getters[i].get(ctx);
                if (v != null) {
                    sb.append(v);
                }
            }
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return source;
    }
}
