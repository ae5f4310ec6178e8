package io.tunnelgate.script;

import java.util.ArrayList;
import java.util.List;

/**
 * A string with {@code $var} / {@code ${var}} references split into literal and variable parts,
 * the common first step of every compiled value (complex values, log formats).
 *
 * <p>Syntax as nginx's script compiler: a name is {@code [A-Za-z0-9_]+}; {@code ${name}} allows a
 * name to be followed directly by name characters; {@code $} with no name after it is an error.
 */
public final class Template {
    /** One part: a literal (name == null) or a variable reference (literal == null). */
    public record Part(String literal, String name) {
        public boolean isVariable() {
            return name != null;
        }
    }

    private Template() {
    }

    /**
     * Splits {@code text} into parts, following nginx's script compiler: {@code $1}..{@code $9} is
     * a regex capture of one digit; {@code ${name}} may be followed by name characters.
     *
     * @throws IllegalArgumentException with nginx's message for a malformed reference
     */
    public static List<Part> split(String text) {
        List<Part> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (c != '$') {
                literal.append(c);
                i++;
                continue;
            }
            if (++i == n) {
                throw new IllegalArgumentException("invalid variable name");
            }
            int start = i;
            int end;
            if (text.charAt(i) >= '1' && text.charAt(i) <= '9') {
                end = i + 1;
                i = end;
            } else if (text.charAt(i) == '{') {
                start = ++i;
                while (i < n && isNameChar(text.charAt(i))) {
                    i++;
                }
                if (i == n || text.charAt(i) != '}') {
                    throw new IllegalArgumentException("the closing bracket in \""
                            + text.substring(start, i) + "\" variable is missing");
                }
                end = i++;
            } else {
                while (i < n && isNameChar(text.charAt(i))) {
                    i++;
                }
                end = i;
            }
            if (end == start) {
                throw new IllegalArgumentException("invalid variable name");
            }
            if (literal.length() > 0) {
                parts.add(new Part(literal.toString(), null));
                literal.setLength(0);
            }
            parts.add(new Part(null, text.substring(start, end)));
        }
        if (literal.length() > 0 || parts.isEmpty()) {
            parts.add(new Part(literal.toString(), null));
        }
        return parts;
    }

    /** True if {@code text} references any variable (so it cannot be a constant). */
    public static boolean hasVariables(String text) {
        return text.indexOf('$') >= 0;
    }

    static boolean isNameChar(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_';
    }
}
