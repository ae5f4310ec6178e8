package io.tunnelgate.http;

import io.tunnelgate.config.Block;
import io.tunnelgate.config.Setting;
import io.tunnelgate.script.Regex;
import java.nio.charset.StandardCharsets;

/**
 * What a {@code location} directive says about matching, parsed when its block opens and kept on
 * the block (other packages read it: {@code alias} replaces the matched prefix, and cannot be used
 * in a named location).
 *
 * @param match the modifier
 * @param name the name as written, without its modifier: the URI, the expression, or
 *     {@code @name}; nginx's messages quote it
 * @param regex the compiled expression of a regex location, else null
 */
public record LocationSpec(LocationConf.Match match, String name, Regex<Request> regex) {
    /** Set on every location block when it opens; never inherited. */
    static final Setting<LocationSpec> SETTING = Setting.local("location", null);

    /** The spec of a location block, or null for any other block. */
    public static LocationSpec of(Block block) {
        return block.local(SETTING);
    }

    /**
     * What the directive of a content handler that wants nginx's {@code auto_redirect} calls in
     * its block ({@code proxy_pass} will): as nginx's handlers do, it is set only when the block is
     * a location whose name ends with {@code /}. A request for that name without the slash is then
     * answered with a 301 to the name (see {@link HttpSettings#AUTO_REDIRECT}).
     */
    public static void autoRedirect(Block block) {
        LocationSpec spec = of(block);
        if (spec != null && spec.name().endsWith("/")) {
            block.put(HttpSettings.AUTO_REDIRECT, true);
        }
    }

    /**
     * The name in the form {@link Request#uri()} has, one char per byte, so that a name written
     * in UTF-8 compares with the URI byte for byte as nginx compares it.
     */
    public String uriForm() {
        return uriForm(name);
    }

    /** {@code text} (from the config, UTF-8) as one char per byte. */
    static String uriForm(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= 0x80) {
                return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
            }
        }
        return text;
    }

    /** The reverse of {@link #uriForm(String)}: bytes read back as the UTF-8 text of the config. */
    static String written(String uriForm) {
        for (int i = 0; i < uriForm.length(); i++) {
            if (uriForm.charAt(i) >= 0x80) {
                return new String(uriForm.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
            }
        }
        return uriForm;
    }
}
