package io.tunnelgate.testsupport;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * HTTP/1.x framing on blocking streams, shared by {@link HttpOrigin} and {@link RawClient}. Heads are read one
 * byte at a time, so nothing after the head is consumed; callers pass a buffered stream they keep using.
 */
public final class HttpWire {

    /** Heads longer than this are a test bug (or a runaway peer); fail rather than grow forever. */
    static final int MAX_HEAD = 64 * 1024;

    private HttpWire() {
    }

    /**
     * Reads up to and including the empty line that ends a head ({@code CRLF CRLF} or {@code LF LF}); empty lines
     * before the first content are kept but do not end it. Returns {@code null} on EOF before any byte; throws
     * {@link EOFException} (with what was read) on EOF inside the head.
     */
    public static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder(256);
        boolean sawContent = false;
        int lineLength = 0;
        while (true) {
            int b = in.read();
            if (b == -1) {
                if (head.length() == 0) {
                    return null;
                }
                throw new EOFException("EOF inside an HTTP head after: " + printable(head));
            }
            head.append((char) b);
            if (b == '\n') {
                if (lineLength == 0 && sawContent) {
                    return head.toString();
                }
                lineLength = 0;
            } else if (b != '\r') {
                lineLength++;
                sawContent = true;
            }
            if (head.length() > MAX_HEAD) {
                throw new IOException("HTTP head longer than " + MAX_HEAD + " bytes: " + printable(head));
            }
        }
    }

    /** The first non-empty line of {@code head}, without its line end. */
    static String startLine(String head) {
        for (String line : lines(head)) {
            if (!line.isEmpty()) {
                return line;
            }
        }
        return "";
    }

    /** The header lines ({@code "Name: value"}) after the start line, without line ends. */
    static List<String> headerLines(String head) {
        List<String> headers = new ArrayList<>();
        boolean afterStart = false;
        for (String line : lines(head)) {
            if (line.isEmpty()) {
                continue;
            }
            if (afterStart) {
                headers.add(line);
            }
            afterStart = true;
        }
        return headers;
    }

    /** The trimmed value of the first header called {@code name} (any case), or {@code null}. */
    static String header(String head, String name) {
        for (String line : headerLines(head)) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                return line.substring(colon + 1).trim();
            }
        }
        return null;
    }

    /** Whether header {@code name} is present and its comma-separated value list holds {@code token} (any case). */
    static boolean hasToken(String head, String name, String token) {
        String value = header(head, name);
        if (value == null) {
            return false;
        }
        for (String item : value.split(",")) {
            if (item.trim().equalsIgnoreCase(token)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the head declares a chunked body. */
    static boolean isChunked(String head) {
        String te = header(head, "Transfer-Encoding");
        return te != null && te.toLowerCase(Locale.ROOT).contains("chunked");
    }

    /** The declared {@code Content-Length}, or -1 if there is none. */
    static long contentLength(String head) {
        String value = header(head, "Content-Length");
        return value == null ? -1 : Long.parseLong(value);
    }

    /** Reads exactly {@code n} bytes, or throws {@link EOFException} saying how many arrived. */
    static byte[] readExactly(InputStream in, int n) throws IOException {
        byte[] data = in.readNBytes(n);
        if (data.length < n) {
            throw new EOFException("expected " + n + " bytes, got " + data.length + " before EOF");
        }
        return data;
    }

    /**
     * Reads a chunked body through its last chunk and trailers, copying the bytes as they were on the wire to
     * {@code raw} and the de-chunked content to {@code decoded} (either may be {@code null}).
     */
    static void readChunked(InputStream in, OutputStream raw, OutputStream decoded) throws IOException {
        while (true) {
            String sizeLine = readLine(in, raw);
            int semicolon = sizeLine.indexOf(';');
            String hex = (semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim();
            int size = Integer.parseInt(hex, 16);
            if (size == 0) {
                while (!readLine(in, raw).isEmpty()) {
                    // Trailer fields: kept in raw, not part of the content.
                }
                return;
            }
            byte[] chunk = readExactly(in, size);
            write(raw, chunk);
            write(decoded, chunk);
            if (!readLine(in, raw).isEmpty()) {
                throw new IOException("chunk of " + size + " bytes not followed by CRLF");
            }
        }
    }

    /** Reads one line up to LF, copying it to {@code raw}; returns it without CR/LF. */
    private static String readLine(InputStream in, OutputStream raw) throws IOException {
        StringBuilder line = new StringBuilder();
        while (true) {
            int b = in.read();
            if (b == -1) {
                throw new EOFException("EOF inside a chunked body after: " + printable(line));
            }
            if (raw != null) {
                raw.write(b);
            }
            if (b == '\n') {
                int end = line.length();
                return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
            }
            line.append((char) b);
            if (line.length() > MAX_HEAD) {
                throw new IOException("chunk line too long: " + printable(line));
            }
        }
    }

    private static void write(OutputStream out, byte[] data) throws IOException {
        if (out != null) {
            out.write(data);
        }
    }

    private static List<String> lines(String head) {
        List<String> lines = new ArrayList<>();
        for (String line : head.split("\n", -1)) {
            lines.add(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
        }
        return lines;
    }

    /** Escapes CR and LF so partial heads are readable in messages. */
    static String printable(CharSequence text) {
        return text.toString().replace("\r", "\\r").replace("\n", "\\n");
    }
}
