package io.tunnelgate.config;

/**
 * Argument parsers shared by directive handlers, with nginx's error messages (the loader appends
 * " in file:line").
 */
public final class Args {
    private Args() {
    }

    /** {@code on} / {@code off} (nginx's flag slot). */
    public static boolean flag(ConfigNode node, int i) throws ConfigException {
        String v = node.arg(i);
        if (v.equalsIgnoreCase("on")) {
            return true;
        }
        if (v.equalsIgnoreCase("off")) {
            return false;
        }
        throw new ConfigException("invalid value \"" + v + "\" in \"" + node.name()
                + "\" directive, it must be \"on\" or \"off\"", node.pos());
    }

    /** A time in milliseconds (nginx's msec slot: bare number = seconds). */
    public static long millis(ConfigNode node, int i) throws ConfigException {
        long v = Values.parseTimeMillis(node.arg(i));
        if (v < 0) {
            throw invalidSlotValue(node);
        }
        return v;
    }

    /** A time in seconds (nginx's sec slot). */
    public static long seconds(ConfigNode node, int i) throws ConfigException {
        long v = Values.parseTimeSeconds(node.arg(i));
        if (v < 0) {
            throw invalidSlotValue(node);
        }
        return v;
    }

    /** A size in bytes (nginx's size slot: k, m suffixes). */
    public static int size(ConfigNode node, int i) throws ConfigException {
        long v = Values.parseSize(node.arg(i));
        if (v < 0 || v > Integer.MAX_VALUE) {
            throw invalidSlotValue(node);
        }
        return (int) v;
    }

    /** A non-negative integer (nginx's num slot, whose message is {@code "x" directive invalid number}). */
    public static int number(ConfigNode node, int i) throws ConfigException {
        int v = Values.parseInt(node.arg(i));
        if (v < 0) {
            throw new ConfigException("\"" + node.name() + "\" directive invalid number", node.pos());
        }
        return v;
    }

    /** nginx's message for a slot value that does not parse: {@code "x" directive invalid value}. */
    public static ConfigException invalidSlotValue(ConfigNode node) {
        return new ConfigException("\"" + node.name() + "\" directive invalid value", node.pos());
    }

    /** nginx's {@code invalid value "v" in "x" directive}. */
    public static ConfigException invalidValue(ConfigNode node, String value) {
        return new ConfigException("invalid value \"" + value + "\" in \"" + node.name() + "\" directive",
                node.pos());
    }

    /** nginx's {@code invalid parameter "v"}. */
    public static ConfigException invalidParameter(ConfigNode node, String value) {
        return new ConfigException("invalid parameter \"" + value + "\"", node.pos());
    }

    /** An error at this directive with a free-form reason. */
    public static ConfigException error(ConfigNode node, String reason) {
        return new ConfigException(reason, node.pos());
    }
}
