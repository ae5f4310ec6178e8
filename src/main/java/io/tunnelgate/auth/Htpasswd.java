package io.tunnelgate.auth;

import io.tunnelgate.config.ConfigException;
import io.tunnelgate.config.SourcePos;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads an htpasswd file as nginx's auth_basic module does: one {@code user:password} per line,
 * the password ending at the line's end or at a further {@code :} (so {@code user:hash:comment}
 * lines work), lines starting with {@code #} and blank lines skipped, and the first line of a
 * user name winning. Names and passwords are bytes, kept as ISO-8859-1 text.
 *
 * <p>Unlike nginx, which only looks at the line of the user logging in, every line is checked when
 * the file is read: a line without {@code :} or a hash in an unknown format is an error naming the
 * file and line, rather than a login that can never succeed.
 */
final class Htpasswd {
    private Htpasswd() {
    }

    /**
     * The users of a file.
     *
     * @throws ConfigException with the reason and {@code file:line}
     */
    static Map<String, PasswordHash> parse(Path file, byte[] bytes) throws ConfigException {
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        Map<String, PasswordHash> users = new HashMap<>();
        int line = 0;
        int start = 0;
        while (start < text.length()) {
            int end = text.indexOf('\n', start);
            if (end < 0) {
                end = text.length();
            }
            line++;
            parseLine(text.substring(start, end), users, new SourcePos(file, line));
            start = end + 1;
        }
        return Map.copyOf(users);
    }

    private static void parseLine(String line, Map<String, PasswordHash> users, SourcePos pos)
            throws ConfigException {
        if (line.isBlank() || line.charAt(0) == '#') {
            return;
        }
        int colon = line.indexOf(':');
        if (colon < 0) {
            throw new ConfigException("invalid line, no \":\" after the user name", pos);
        }
        if (colon == 0) {
            throw new ConfigException("invalid line, empty user name", pos);
        }
        String user = line.substring(0, colon);
        int end = colon + 1;
        while (end < line.length() && line.charAt(end) != ':' && line.charAt(end) != '\r') {
            end++;
        }
        PasswordHash hash;
        try {
            hash = PasswordHash.parse(line.substring(colon + 1, end));
        } catch (PasswordHash.InvalidHash e) {
            throw new ConfigException(e.getMessage(), pos);
        }
        users.putIfAbsent(user, hash);
    }
}
