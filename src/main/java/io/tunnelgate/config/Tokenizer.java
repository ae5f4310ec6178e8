package io.tunnelgate.config;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits one config file into statements, byte for byte as nginx's {@code ngx_conf_read_token}
 * does, so that every config nginx accepts reads the same here and every config it rejects fails
 * with the same reason on the same line.
 *
 * <p>It works on the raw UTF-8 bytes rather than on chars because nginx's limits and delimiters
 * are bytes; each finished token is decoded to a String. One call to {@link #next()} reads up to
 * and including the next {@code ;}, {@code {}, {@code }} or the end of the file.
 */
final class Tokenizer {

    /**
     * nginx reads a config through a buffer of this many bytes, so a token (or a comment) that
     * does not fit is an error there; we keep the limit so that such configs fail here too.
     */
    static final int MAX_TOKEN = 4096;

    /** What ended a statement. */
    enum End {
        /** {@code ;}: a simple directive. */
        SEMICOLON,
        /** {@code {}: a directive that opens a block. */
        BLOCK_START,
        /** {@code }}: the end of the enclosing block (args are empty). */
        BLOCK_END,
        /** The end of the file (args are empty). */
        EOF
    }

    /**
     * One statement: its tokens and what ended it.
     *
     * @param args the tokens, the directive name first
     * @param end what terminated the statement
     * @param line the line on which the terminator (or the end of the file) was read
     */
    record Statement(List<Arg> args, End end, int line) {
    }

    private final byte[] in;
    private final Path file;
    private int pos;
    private int line = 1;

    // Scanner state for the current statement, reset by next(); names follow nginx's flags.
    private List<Arg> args;
    private int start;
    private int startLine;
    private boolean lastSpace;
    private boolean needSpace;
    private boolean comment;
    private boolean escaped;
    private boolean variable;
    private byte quote;
    private boolean tokenQuoted;

    Tokenizer(byte[] in, Path file) {
        this.in = in;
        this.file = file;
    }

    /** The file being read, for positions outside the tokenizer. */
    Path file() {
        return file;
    }

    /** Reads the next statement. */
    Statement next() throws ConfigException {
        args = new ArrayList<>();
        start = pos;
        startLine = line;
        lastSpace = true;
        needSpace = false;
        comment = false;
        escaped = false;
        variable = false;
        quote = 0;
        for (;;) {
            if (pos >= in.length) {
                if (!args.isEmpty() || !lastSpace) {
                    throw error("unexpected end of file, expecting \";\" or \"}\"");
                }
                return new Statement(List.of(), End.EOF, line);
            }
            if (pos - start == MAX_TOKEN) {
                throw tooLong();
            }
            Statement done = step(in[pos++]);
            if (done != null) {
                return done;
            }
        }
    }

    /** Consumes one byte; returns the statement when that byte ended it. */
    private Statement step(byte ch) throws ConfigException {
        if (ch == '\n') {
            line++;
            comment = false;
        }
        if (comment) {
            return null;
        }
        if (escaped) {
            escaped = false;
            return null;
        }
        if (needSpace) {
            if (isSpace(ch)) {
                lastSpace = true;
                needSpace = false;
                return null;
            }
            if (ch == ';' || ch == '{') {
                return statement(ch);
            }
            if (ch != ')') {
                throw error("unexpected \"" + charAt(pos - 1) + "\"");
            }
            // nginx lets ")" follow a quoted token directly, for if ($a = "b"); it starts a new token
            lastSpace = true;
            needSpace = false;
        }
        return lastSpace ? betweenTokens(ch) : insideToken(ch);
    }

    /** A byte read where a token may start. */
    private Statement betweenTokens(byte ch) throws ConfigException {
        start = pos - 1;
        startLine = line;
        if (isSpace(ch)) {
            return null;
        }
        tokenQuoted = false;
        lastSpace = false;
        switch (ch) {
            case ';', '{' -> {
                if (args.isEmpty()) {
                    throw error("unexpected \"" + (char) ch + "\"");
                }
                return statement(ch);
            }
            case '}' -> {
                if (!args.isEmpty()) {
                    throw error("unexpected \"}\"");
                }
                return statement(ch);
            }
            case '#' -> {
                comment = true;
                lastSpace = true;
            }
            case '\\' -> escaped = true;
            case '"', '\'' -> {
                start++;
                quote = ch;
                tokenQuoted = true;
            }
            case '$' -> variable = true;
            default -> {
                // the first byte of a bare word
            }
        }
        return null;
    }

    /** A byte read inside a token. */
    private Statement insideToken(byte ch) {
        if (ch == '{' && variable) {
            // "${name}" is a variable reference, not a block
            return null;
        }
        variable = false;
        if (ch == '\\') {
            escaped = true;
            return null;
        }
        if (ch == '$') {
            variable = true;
            return null;
        }
        if (quote != 0) {
            if (ch != quote) {
                return null;
            }
            quote = 0;
            needSpace = true;
        } else if (isSpace(ch) || ch == ';' || ch == '{') {
            lastSpace = true;
        } else {
            return null;
        }
        args.add(new Arg(decode(start, pos - 1), tokenQuoted));
        return ch == ';' || ch == '{' ? statement(ch) : null;
    }

    private Statement statement(byte ch) {
        End end = switch (ch) {
            case ';' -> End.SEMICOLON;
            case '{' -> End.BLOCK_START;
            default -> End.BLOCK_END;
        };
        return new Statement(List.copyOf(args), end, line);
    }

    /** Decodes nginx's escapes in {@code in[from, to)}: \" \' \\ \t \r \n; others stay as typed. */
    private String decode(int from, int to) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(to - from);
        int i = from;
        while (i < to) {
            byte b = in[i];
            if (b == '\\' && i + 1 < to) {
                byte e = in[i + 1];
                int decoded = switch (e) {
                    case '"', '\'', '\\' -> e;
                    case 't' -> '\t';
                    case 'r' -> '\r';
                    case 'n' -> '\n';
                    default -> -1;
                };
                if (decoded >= 0) {
                    out.write(decoded);
                    i += 2;
                    continue;
                }
            }
            out.write(b);
            i++;
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private ConfigException tooLong() {
        if (quote != 0) {
            return new ConfigException("too long parameter, probably missing terminating \""
                    + (char) quote + "\" character", new SourcePos(file, startLine));
        }
        String head = new String(in, start, 10, StandardCharsets.UTF_8);
        return new ConfigException("too long parameter \"" + head + "...\" started",
                new SourcePos(file, startLine));
    }

    /** The whole UTF-8 character whose first byte is at {@code i}, for error messages. */
    private String charAt(int i) {
        int lead = in[i] & 0xff;
        int len = lead < 0x80 ? 1 : lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
        return new String(in, i, Math.min(len, in.length - i), StandardCharsets.UTF_8);
    }

    private ConfigException error(String reason) {
        return new ConfigException(reason, new SourcePos(file, line));
    }

    private static boolean isSpace(byte ch) {
        return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n';
    }
}
