package io.tunnelgate.config;

/**
 * A typed slot that directives fill in a {@link Block}, with nginx's merge rule: a block that
 * does not set it inherits the value of the nearest enclosing block that does, else the default.
 *
 * <p>Identity is the object, not the name: two directives writing the same slot (nginx's
 * {@code proxy_connect_read_timeout} and {@code proxy_connect_data_timeout}) share one Setting,
 * which is what makes giving both at one level "duplicate".
 *
 * @param <T> the value type
 */
public final class Setting<T> {
    private final String name;
    private final T defaultValue;
    private final boolean inherited;

    private Setting(String name, T defaultValue, boolean inherited) {
        this.name = name;
        this.defaultValue = defaultValue;
        this.inherited = inherited;
    }

    /** A slot inherited from enclosing blocks. */
    public static <T> Setting<T> of(String name, T defaultValue) {
        return new Setting<>(name, defaultValue, true);
    }

    /** A slot that is never inherited (e.g. the module's {@code proxy_connect_response}). */
    public static <T> Setting<T> local(String name, T defaultValue) {
        return new Setting<>(name, defaultValue, false);
    }

    public String name() {
        return name;
    }

    public T defaultValue() {
        return defaultValue;
    }

    public boolean inherited() {
        return inherited;
    }

    @Override
    public String toString() {
        return name;
    }
}
