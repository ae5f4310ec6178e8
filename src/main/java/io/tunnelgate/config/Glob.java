package io.tunnelgate.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.PatternSyntaxException;

/**
 * Expands an {@code include} pattern the way nginx's call to glob(3) with no flags does: one path
 * component at a time, dot files only when the pattern's component starts with a dot, unreadable
 * or missing directories simply matching nothing, results sorted bytewise (the C locale).
 */
final class Glob {

    private Glob() {
    }

    /** True when nginx would treat the include argument as a pattern rather than a file name. */
    static boolean isPattern(String s) {
        return s.indexOf('*') >= 0 || s.indexOf('?') >= 0 || s.indexOf('[') >= 0;
    }

    /**
     * Returns the regular files matching an absolute pattern, sorted.
     *
     * @param pattern absolute; components without wildcards are taken literally
     */
    static List<Path> match(Path pattern) {
        List<Path> current = List.of(pattern.getRoot());
        for (Path component : pattern) {
            String part = component.toString();
            List<Path> next = new ArrayList<>();
            if (isPattern(part)) {
                PathMatcher matcher = matcher(part);
                boolean dotFiles = part.startsWith(".");
                for (Path dir : current) {
                    list(dir, matcher, dotFiles, next);
                }
            } else {
                for (Path dir : current) {
                    next.add(dir.resolve(part));
                }
            }
            current = next;
        }
        return current.stream()
                .filter(Files::isRegularFile)
                .sorted((a, b) -> Arrays.compareUnsigned(bytes(a), bytes(b)))
                .toList();
    }

    private static void list(Path dir, PathMatcher matcher, boolean dotFiles, List<Path> into) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                Path name = entry.getFileName();
                if ((dotFiles || !name.toString().startsWith(".")) && matcher.matches(name)) {
                    into.add(entry);
                }
            }
        } catch (IOException e) {
            // glob(3) without GLOB_ERR skips directories it cannot read; so does nginx
        }
    }

    private static PathMatcher matcher(String part) {
        try {
            return FileSystems.getDefault().getPathMatcher("glob:" + escapeBraces(part));
        } catch (PatternSyntaxException e) {
            // glob(3) takes a malformed pattern (e.g. an unclosed "[") literally
            return p -> p.toString().equals(part);
        }
    }

    /**
     * Java globs treat {@code {a,b}} as alternatives, glob(3) without GLOB_BRACE as literal text,
     * so braces outside a bracket expression are escaped.
     */
    static String escapeBraces(String part) {
        StringBuilder sb = new StringBuilder(part.length() + 4);
        boolean inBracket = false;
        for (int i = 0; i < part.length(); i++) {
            char c = part.charAt(i);
            if (c == '\\' && i + 1 < part.length()) {
                sb.append(c).append(part.charAt(++i));
                continue;
            }
            if (c == '[') {
                inBracket = true;
            } else if (c == ']') {
                inBracket = false;
            } else if ((c == '{' || c == '}') && !inBracket) {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.toString();
    }

    private static byte[] bytes(Path p) {
        return p.toString().getBytes(StandardCharsets.UTF_8);
    }
}
