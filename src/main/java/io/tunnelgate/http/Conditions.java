package io.tunnelgate.http;

import io.tunnelgate.config.Args;
import io.tunnelgate.config.ConfigException;
import io.tunnelgate.config.ConfigNode;
import io.tunnelgate.config.LoadContext;
import io.tunnelgate.script.ComplexValue;
import io.tunnelgate.script.Condition;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses the condition of an {@code if} as nginx's rewrite module does: the arguments between
 * the parentheses (which the tokenizer leaves attached to the first and last words) are a variable,
 * {@code variable op value} with op one of {@code = != ~ ~* !~ !~*}, or a file test
 * {@code -f -d -e -x} with an optional {@code !}.
 */
final class Conditions {
    private Conditions() {
    }

    /**
     * Parses the condition with nginx's rules and messages: a variable first means a bare variable
     * or {@code variable op value} (the value is the last word, as nginx takes it); {@code -f}-style
     * first means a file test of exactly one path; anything else is an invalid condition naming the
     * word nginx names.
     */
    static Condition<Request> parse(LoadContext ctx, ConfigNode node) throws ConfigException {
        List<String> words = strip(node);
        String first = words.get(0);
        if (first.length() > 1 && first.charAt(0) == '$') {
            ComplexValue<Request> left = HttpDirectives.compile(ctx, node, first);
            if (words.size() == 1) {
                return new Condition.Truthy<>(left);
            }
            String op = words.get(1);
            String right = words.get(words.size() - 1);
            return switch (op) {
                case "=" -> new Condition.Equals<>(left, HttpDirectives.compile(ctx, node, right), false);
                case "!=" -> new Condition.Equals<>(left, HttpDirectives.compile(ctx, node, right), true);
                case "~" -> new Condition.Matches<>(left, RewriteDirectives.regex(ctx, node, right, false), false);
                case "~*" -> new Condition.Matches<>(left, RewriteDirectives.regex(ctx, node, right, true), false);
                case "!~" -> new Condition.Matches<>(left, RewriteDirectives.regex(ctx, node, right, false), true);
                case "!~*" -> new Condition.Matches<>(left, RewriteDirectives.regex(ctx, node, right, true), true);
                default -> throw Args.error(node, "unexpected \"" + op + "\" in condition");
            };
        }
        boolean fileOp = first.length() == 2 && first.charAt(0) == '-'
                || first.length() == 3 && first.startsWith("!-");
        if (fileOp && words.size() == 2) {
            return fileTest(ctx, node, first, words.get(1));
        }
        throw invalid(node, first);
    }

    /** The words inside {@code ( ... )}: the parentheses are cut from the first and last word. */
    private static List<String> strip(ConfigNode node) throws ConfigException {
        List<String> words = new ArrayList<>();
        for (int i = 0; i < node.argCount(); i++) {
            words.add(node.arg(i));
        }
        String first = words.get(0);
        if (!first.startsWith("(")) {
            throw invalid(node, first);
        }
        // nginx cuts the "(" before it looks at the last word, which may be the same one
        String last = words.size() == 1 ? first.substring(1) : words.get(words.size() - 1);
        if (!last.endsWith(")")) {
            throw invalid(node, last);
        }
        int lastIndex = words.size() - 1;
        String lastWord = words.get(lastIndex).substring(0, words.get(lastIndex).length() - 1);
        // a lone "(" or ")" leaves nothing of its word; an empty quoted operand stays
        if (lastWord.isEmpty() && lastIndex > 0) {
            words.remove(lastIndex);
        } else {
            words.set(lastIndex, lastWord);
        }
        String firstWord = words.get(0).substring(1);
        if (firstWord.isEmpty() && words.size() > 1) {
            words.remove(0);
        } else {
            words.set(0, firstWord);
        }
        return words;
    }

    private static Condition<Request> fileTest(LoadContext ctx, ConfigNode node, String op, String path)
            throws ConfigException {
        boolean negate = op.startsWith("!");
        Condition.FileKind kind = switch (negate ? op.substring(1) : op) {
            case "-f" -> Condition.FileKind.FILE;
            case "-d" -> Condition.FileKind.DIRECTORY;
            case "-e" -> Condition.FileKind.EXISTS;
            case "-x" -> Condition.FileKind.EXECUTABLE;
            default -> throw invalid(node, op);
        };
        return new Condition.FileTest<>(HttpDirectives.compile(ctx, node, path), kind, negate);
    }

    private static ConfigException invalid(ConfigNode node, String word) {
        return Args.error(node, "invalid condition \"" + word + "\"");
    }
}
