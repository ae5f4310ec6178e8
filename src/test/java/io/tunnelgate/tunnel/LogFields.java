package io.tunnelgate.tunnel;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One access-log line in {@link TunnelConfig#FORMAT}, split into its {@code key:value} words ({@code request}
 * takes the rest of the line).
 */
final class LogFields {
    private final String line;
    private final Map<String, String> fields;

    private LogFields(String line, Map<String, String> fields) {
        this.line = line;
        this.fields = fields;
    }

    static LogFields of(String line) {
        if (line == null) {
            throw new AssertionError("no access-log line");
        }
        Map<String, String> fields = new LinkedHashMap<>();
        int request = line.indexOf(" request:");
        String words = request < 0 ? line : line.substring(0, request);
        if (request >= 0) {
            fields.put("request", line.substring(request + " request:".length()));
        }
        for (String word : words.split(" ")) {
            int colon = word.indexOf(':');
            if (colon > 0) {
                fields.put(word.substring(0, colon), word.substring(colon + 1));
            }
        }
        return new LogFields(line, fields);
    }

    /** The value of {@code key}; fails naming the line when the key is missing. */
    String get(String key) {
        String value = fields.get(key);
        if (value == null) {
            throw new AssertionError("no " + key + ": in access-log line: " + line);
        }
        return value;
    }

    /** A time field ({@code S.mmm}) in seconds; fails if it is not in that form. */
    double seconds(String key) {
        String value = get(key);
        if (!value.matches("\\d+\\.\\d{3}")) {
            throw new AssertionError(key + " is not S.mmm but '" + value + "' in: " + line);
        }
        return Double.parseDouble(value);
    }

    long number(String key) {
        return Long.parseLong(get(key));
    }

    @Override
    public String toString() {
        return line;
    }
}
