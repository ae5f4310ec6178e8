package io.tunnelgate.auth;

import java.util.ArrayList;
import java.util.List;

/**
 * A response as a raw client read it, split into status, headers and body.
 *
 * @param headers {@code {name, value}} pairs in wire order
 */
record Response(int status, String statusLine, List<String[]> headers, String body) {
    static Response parse(String text) {
        int end = text.indexOf("\r\n\r\n");
        String[] lines = text.substring(0, end).split("\r\n");
        List<String[]> headers = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.add(new String[] {lines[i].substring(0, colon), lines[i].substring(colon + 1).trim()});
        }
        return new Response(Integer.parseInt(lines[0].split(" ")[1]), lines[0], headers, text.substring(end + 4));
    }

    /** The value of the header {@code name} (any case), or null. */
    String header(String name) {
        return headers.stream().filter(h -> h[0].equalsIgnoreCase(name)).map(h -> h[1]).findFirst().orElse(null);
    }
}
