package io.tunnelgate.limit;

import io.tunnelgate.config.Args;
import io.tunnelgate.config.ConfigException;
import io.tunnelgate.config.ConfigNode;
import io.tunnelgate.config.Values;

/**
 * A zone definition's {@code zone=name:size}, checked as nginx checks it: a size in nginx's size
 * syntax ({@code 10m}, {@code 512k}) of at least 8 pages.
 */
record ZoneArg(String name, long size) {
    /** nginx's smallest zone: 8 pages of 4 KiB. */
    static final long MIN_SIZE = 8 * 4096;

    static ZoneArg parse(ConfigNode node, String arg) throws ConfigException {
        if (!arg.startsWith("zone=")) {
            throw Args.invalidParameter(node, arg);
        }
        int colon = arg.indexOf(':');
        if (colon < 0) {
            throw Args.error(node, "invalid zone size \"" + arg + "\"");
        }
        long size = Values.parseSize(arg.substring(colon + 1));
        if (size < 0) {
            throw Args.error(node, "invalid zone size \"" + arg + "\"");
        }
        if (size < MIN_SIZE) {
            throw Args.error(node, "zone \"" + arg + "\" is too small");
        }
        String name = arg.substring("zone=".length(), colon);
        if (name.isEmpty()) {
            throw Args.error(node, "\"" + node.name() + "\" must have \"zone\" parameter");
        }
        return new ZoneArg(name, size);
    }
}
