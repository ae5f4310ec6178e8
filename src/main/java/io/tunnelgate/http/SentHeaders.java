package io.tunnelgate.http;

/**
 * The head of the response a request was answered with, as it went to the client, for nginx's
 * {@code $sent_http_NAME}. Tunnelgate's own responses ({@link ResponseHead}) and forwarded ones
 * each answer from what they wrote, so nothing is copied per response just in case a log format
 * reads a header.
 */
public interface SentHeaders {
    /**
     * @param name a header name, in any case
     * @return the value sent, several values joined with {@code ", "} as nginx joins them; null
     *     when the header was not sent
     */
    String get(String name);

    /**
     * Appends {@code value} to a value found so far ({@code ", "}-joined), for implementations
     * that look through several header lists.
     */
    static String join(String found, String value) {
        return found == null ? value : found + ", " + value;
    }

    /** Looks {@code name} up in name/value pairs (case-insensitive), joining repeats. */
    static String find(java.util.List<String> pairs, String name, String found) {
        for (int i = 0; i < pairs.size(); i += 2) {
            if (pairs.get(i).equalsIgnoreCase(name)) {
                found = join(found, pairs.get(i + 1));
            }
        }
        return found;
    }
}
