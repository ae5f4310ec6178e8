package io.tunnelgate.config;

/** The block a directive appears in, as nginx's NGX_*_CONF flags name them. */
public enum Context {
    /** Top level of the main file. */
    MAIN("main"),
    /** {@code events { }}. */
    EVENTS("events"),
    /** {@code http { }}. */
    HTTP("http"),
    /** {@code server { }} inside http. */
    SERVER("server"),
    /** {@code location { }} inside server or another location. */
    LOCATION("location"),
    /** {@code if (...) { }} inside server, location or another if: rewrite directives only. */
    IF("if"),
    /** {@code upstream name { }} inside http: a group of servers for proxy_pass. */
    UPSTREAM("upstream");

    private final String label;

    Context(String label) {
        this.label = label;
    }

    /** The name used in messages and -T output. */
    public String label() {
        return label;
    }
}
