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

    static Condition<Request> parse(LoadContext ctx, ConfigNode node) throws ConfigException {
        List<String> words = strip(node);
        if (words.isEmpty()) {
            throw invalid(node);
        }
        String first = words.get(0);
        if (words.size() == 1) {
            requireVariable(node, first);
            return new Condition.Truthy<>(HttpDirectives.compile(ctx, node, first));
        }
        if (words.size() == 2) {
            return fileTest(ctx, node, first, words.get(1));
        }
        if (words.size() != 3) {
            throw invalid(node);
        }
        requireVariable(node, first);
        ComplexValue<Request> left = HttpDirectives.compile(ctx, node, first);
        String op = words.get(1);
        String right = words.get(2);
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

    /** The words inside {@code ( ... )}: the parentheses are cut from the first and last word. */
    private static List<String> strip(ConfigNode node) throws ConfigException {
        List<String> words = new ArrayList<>();
        for (int i = 0; i < node.argCount(); i++) {
            words.add(node.arg(i));
        }
        String first = words.get(0);
        String last = words.get(words.size() - 1);
        if (!first.startsWith("(") || !last.endsWith(")")) {
            throw invalid(node);
        }
        int lastIndex = words.size() - 1;
        String lastWord = words.get(lastIndex).substring(0, last.length() - 1);
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
            default -> throw Args.error(node, "unexpected \"" + op + "\" in condition");
        };
        return new Condition.FileTest<>(HttpDirectives.compile(ctx, node, path), kind, negate);
    }

    private static void requireVariable(ConfigNode node, String word) throws ConfigException {
        if (word.length() < 2 || word.charAt(0) != '$') {
            throw invalid(node);
        }
    }

    private static ConfigException invalid(ConfigNode node) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < node.argCount(); i++) {
            sb.append(i == 0 ? "" : " ").append(node.arg(i));
        }
        return Args.error(node, "invalid condition \"" + sb + "\"");
    }
}
