package io.tunnelgate.script;

/**
 * The groups of a successful regex match ({@code $1} ... {@code $9}); group 0 is the whole match.
 * A group that did not take part in the match reads as empty, as in nginx.
 */
public record Captures(String[] groups) {
    /** Group {@code n}, or "" when the pattern has no such group or it did not match. */
    public String group(int n) {
        if (n < 0 || n >= groups.length || groups[n] == null) {
            return "";
        }
        return groups[n];
    }
}
