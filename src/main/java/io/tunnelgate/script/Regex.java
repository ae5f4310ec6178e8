package io.tunnelgate.script;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A regular expression of the config ({@code if ($x ~ re)}, {@code rewrite}, {@code map},
 * {@code server_name ~re}), compiled once at load. A successful match sets the request's captures
 * ({@code $1}...) and, like nginx, a variable for each named group ({@code (?<name>...)} or PCRE's
 * {@code (?P<name>...)}).
 *
 * @param <C> the request type
 */
public final class Regex<C extends ScriptContext> {
    private static final Pattern NAMED_GROUP = Pattern.compile("\\(\\?P?<([a-zA-Z][a-zA-Z0-9]*)>");

    private final String source;
    private final Pattern pattern;
    private final String[] names;
    private final int[] slots;

    private Regex(String source, Pattern pattern, String[] names, int[] slots) {
        this.source = source;
        this.pattern = pattern;
        this.names = names;
        this.slots = slots;
    }

    /**
     * Compiles {@code text}; named groups become user variables of {@code table}.
     *
     * @throws IllegalArgumentException naming the pattern when it does not compile
     */
    public static <C extends ScriptContext> Regex<C> compile(String text, boolean caseless, VariableTable<C> table) {
        // Java has no PCRE "(?P<name>": it means "(?<name>"
        String javaSyntax = text.replace("(?P<", "(?<");
        Pattern p;
        try {
            p = Pattern.compile(javaSyntax, caseless ? Pattern.CASE_INSENSITIVE : 0);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("invalid regex \"" + text + "\": " + e.getDescription());
        }
        List<String> names = new ArrayList<>();
        Matcher m = NAMED_GROUP.matcher(text);
        while (m.find()) {
            names.add(m.group(1));
        }
        int[] slots = new int[names.size()];
        for (int i = 0; i < slots.length; i++) {
            slots[i] = table.declareUser(names.get(i));
        }
        return new Regex<>(text, p, names.toArray(new String[0]), slots);
    }

    /**
     * Whether {@code input} matches (anywhere, as PCRE does); on a match of a pattern with groups
     * the captures are set.
     */
    public boolean matches(C ctx, String input) {
        Matcher m = pattern.matcher(input);
        if (!m.find()) {
            return false;
        }
        // as nginx's ngx_http_regex_exec: a pattern without groups leaves the earlier captures alone
        if (m.groupCount() > 0) {
            String[] groups = new String[m.groupCount() + 1];
            for (int i = 0; i < groups.length; i++) {
                groups[i] = m.group(i);
            }
            ctx.captures(new Captures(groups));
        }
        for (int i = 0; i < slots.length; i++) {
            String v = m.group(names[i]);
            ctx.slot(slots[i], v == null ? "" : v);
        }
        return true;
    }

    /** How many groups the pattern has ({@code rewrite} and {@code map} check references). */
    public int groupCount() {
        return pattern.matcher("").groupCount();
    }

    /** The pattern as written in the config. */
    public String source() {
        return source;
    }

    @Override
    public String toString() {
        return source;
    }
}
