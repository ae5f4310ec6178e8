package io.tunnelgate.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelgate.Version;
import io.tunnelgate.testsupport.RawClient;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A response as the client read it (head and body text, ISO-8859-1), split into its parts, with
 * the checks every test of a Tunnelgate-made response repeats.
 *
 * @param statusLine the first line, without its line end
 * @param headers the header lines as {@code {name, value}} pairs, in wire order
 * @param body what followed the head
 */
record Reply(String statusLine, List<String[]> headers, String body) {

    /** Splits {@code text} (a head, optionally followed by its body). */
    static Reply parse(String text) {
        int end = text.indexOf("\r\n\r\n");
        int bodyStart = end + 4;
        if (end < 0) {
            end = text.indexOf("\n\n");
            bodyStart = end + 2;
        }
        assertThat(end).as("end of head in %s", text).isPositive();
        String[] lines = text.substring(0, end).split("\r?\n");
        List<String[]> headers = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            assertThat(colon).as("header line %s", lines[i]).isPositive();
            headers.add(new String[] {lines[i].substring(0, colon), lines[i].substring(colon + 1).trim()});
        }
        return new Reply(lines[0], List.copyOf(headers), text.substring(bodyStart));
    }

    /** Reads one response (head and Content-Length body) from {@code client}. */
    static Reply read(RawClient client) throws IOException {
        return parse(client.readResponse());
    }

    /** The bytes this response took on the wire: status line, header lines, CRLFs and body. */
    int wireLength() {
        int length = statusLine.length() + 2 + 2 + body.length();
        for (String[] h : headers) {
            length += h[0].length() + 2 + h[1].length() + 2;
        }
        return length;
    }

    /** The status code of the status line. */
    int status() {
        return Integer.parseInt(statusLine.split(" ", 3)[1]);
    }

    /** The value of the only header called {@code name} (any case), or null; fails when it repeats. */
    String header(String name) {
        List<String> values = headers.stream().filter(h -> h[0].equalsIgnoreCase(name)).map(h -> h[1]).toList();
        assertThat(values).as("%s headers", name).hasSizeLessThanOrEqualTo(1);
        return values.isEmpty() ? null : values.get(0);
    }

    /** The header names in wire order. */
    List<String> headerNames() {
        return headers.stream().map(h -> h[0]).toList();
    }

    /**
     * Checks the parts every Tunnelgate-made response has: the status line, {@code Server} per
     * server_tokens, a {@code Date}, {@code Connection} and a {@code Content-Length} equal to the
     * body's length.
     */
    Reply assertMade(String expectedStatusLine, boolean close, boolean tokens) {
        assertThat(statusLine).isEqualTo(expectedStatusLine);
        assertThat(header("Server")).isEqualTo(tokens ? "tunnelgate/" + Version.VERSION : "tunnelgate");
        assertThat(header("Date")).matches("\\w{3}, \\d\\d \\w{3} \\d{4} \\d\\d:\\d\\d:\\d\\d GMT");
        assertThat(header("Connection")).isEqualTo(close ? "close" : "keep-alive");
        assertThat(header("Content-Length")).isEqualTo(Integer.toString(body.length()));
        return this;
    }

    /**
     * Checks a Tunnelgate-made error page: the status line, the headers of {@link #assertMade},
     * {@code Content-Type: text/html} and nginx's page with {@code title} and the footer.
     */
    Reply assertPage(String expectedStatusLine, String title, boolean close, boolean tokens) {
        assertMade(expectedStatusLine, close, tokens);
        assertThat(header("Content-Type")).isEqualTo("text/html");
        assertThat(body).isEqualTo(page(title, tokens));
        return this;
    }

    /** {@link #assertPage} with server_tokens on. */
    Reply assertPage(String expectedStatusLine, String title, boolean close) {
        return assertPage(expectedStatusLine, title, close, true);
    }

    /** nginx's built-in error page with Tunnelgate's footer. */
    static String page(String title, boolean tokens) {
        return "<html>\r\n<head><title>" + title + "</title></head>\r\n<body>\r\n<center><h1>" + title
                + "</h1></center>\r\n<hr><center>" + (tokens ? "tunnelgate/" + Version.VERSION : "tunnelgate")
                + "</center>\r\n</body>\r\n</html>\r\n";
    }
}
