package io.tunnelgate.http;

import static io.tunnelgate.config.Context.HTTP;
import static io.tunnelgate.config.Context.IF;
import static io.tunnelgate.config.Context.LOCATION;
import static io.tunnelgate.config.Context.SERVER;
import static io.tunnelgate.config.DirectiveSpec.UNLIMITED;

import io.tunnelgate.config.Args;
import io.tunnelgate.config.Block;
import io.tunnelgate.config.ConfigException;
import io.tunnelgate.config.ConfigNode;
import io.tunnelgate.config.DirectiveRegistry;
import io.tunnelgate.config.DirectiveSpec;
import io.tunnelgate.config.LoadContext;
import io.tunnelgate.config.Setting;
import io.tunnelgate.config.Values;
import io.tunnelgate.script.ComplexValue;
import io.tunnelgate.script.Op;
import io.tunnelgate.script.Regex;
import io.tunnelgate.script.Setter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * nginx's rewrite module: {@code set}, {@code if}, {@code return}, {@code break} and
 * {@code rewrite}, compiled in config order into the rewrite program of the server, location or
 * {@code if} block they appear in. An {@code if} block accepts only these directives.
 */
public final class RewriteDirectives {
    /** The block's directives in order: compiled {@link Op}s, and {@link PendingIf}s for nested blocks. */
    static final Setting<List<Object>> PROGRAM = Setting.local("rewrite program", null);
    static final Setting<Boolean> REWRITE_LOG = Setting.of("rewrite_log", false);
    static final Setting<Boolean> UNINITIALIZED_WARN = Setting.of("uninitialized_variable_warn", true);

    /** An {@code if} whose body block is still being loaded when the directive is read. */
    record PendingIf(io.tunnelgate.script.Condition<Request> condition, Block body) {
    }

    private static final Set<io.tunnelgate.config.Context> SLI = EnumSet.of(SERVER, LOCATION, IF);

    private RewriteDirectives() {
    }

    public static void register(DirectiveRegistry r) {
        r.add(DirectiveSpec.simple("set", SLI, 2, 2, RewriteDirectives::set))
                .add(DirectiveSpec.block("if", SLI, 1, UNLIMITED, RewriteDirectives::ifBlock))
                .add(DirectiveSpec.simple("return", SLI, 1, 2, RewriteDirectives::returnOp))
                .add(DirectiveSpec.simple("break", SLI, 0, 0, (c, b, n) -> b.append(PROGRAM, new Op.Break<Request>())))
                .add(DirectiveSpec.simple("rewrite", SLI, 2, 3, RewriteDirectives::rewrite))
                .add(DirectiveSpec.simple("rewrite_log", EnumSet.of(HTTP, SERVER, LOCATION, IF), 1, 1,
                        (c, b, n) -> b.set(REWRITE_LOG, Args.flag(n, 0), n)))
                .add(DirectiveSpec.simple("uninitialized_variable_warn", EnumSet.of(HTTP, SERVER, LOCATION, IF), 1, 1,
                        (c, b, n) -> b.set(UNINITIALIZED_WARN, Args.flag(n, 0), n)));
    }

    private static void set(LoadContext ctx, Block block, ConfigNode node) throws ConfigException {
        String target = node.arg(0);
        if (target.length() < 2 || target.charAt(0) != '$') {
            throw Args.error(node, "invalid variable name \"" + target + "\"");
        }
        Setter<Request> setter;
        try {
            setter = table(ctx).setterFor(target.substring(1));
        } catch (IllegalArgumentException e) {
            throw Args.error(node, e.getMessage());
        }
        block.append(PROGRAM, new Op.Set<>(setter, HttpDirectives.compile(ctx, node, node.arg(1))));
    }

    private static void ifBlock(LoadContext ctx, Block block, ConfigNode node) throws ConfigException {
        io.tunnelgate.script.Condition<Request> condition = Conditions.parse(ctx, node);
        Block body = block.openChild(IF, node);
        block.append(PROGRAM, new PendingIf(condition, body));
    }

    /** {@code return code [text]}, {@code return 30x URL}, {@code return URL} (302). */
    private static void returnOp(LoadContext ctx, Block block, ConfigNode node) throws ConfigException {
        String first = node.arg(0);
        int code = Values.parseInt(first);
        ComplexValue<Request> text = null;
        if (code < 0) {
            if (node.argCount() == 2 || !(first.startsWith("http://") || first.startsWith("https://")
                    || first.startsWith("$scheme"))) {
                throw Args.error(node, "invalid return code \"" + first + "\"");
            }
            code = 302;
            text = HttpDirectives.compile(ctx, node, first);
        } else if (code > 999) {
            throw Args.error(node, "invalid return code \"" + first + "\"");
        } else if (node.argCount() == 2) {
            text = HttpDirectives.compile(ctx, node, node.arg(1));
        }
        block.append(PROGRAM, new Op.Return<>(code, text));
    }

    /** {@code rewrite regex replacement [last|break|redirect|permanent]}. */
    private static void rewrite(LoadContext ctx, Block block, ConfigNode node) throws ConfigException {
        Regex<Request> regex = regex(ctx, node, node.arg(0), false);
        String replacement = node.arg(1);
        Op.RewriteFlag flag = Op.RewriteFlag.NONE;
        int redirect = 0;
        if (node.argCount() == 3) {
            switch (node.arg(2)) {
                case "last" -> flag = Op.RewriteFlag.LAST;
                case "break" -> flag = Op.RewriteFlag.BREAK;
                case "redirect" -> {
                    flag = Op.RewriteFlag.REDIRECT;
                    redirect = 302;
                }
                case "permanent" -> {
                    flag = Op.RewriteFlag.REDIRECT;
                    redirect = 301;
                }
                default -> throw Args.error(node, "invalid parameter \"" + node.arg(2) + "\"");
            }
        }
        if (redirect == 0 && (replacement.startsWith("http://") || replacement.startsWith("https://")
                || replacement.startsWith("$scheme"))) {
            flag = Op.RewriteFlag.REDIRECT;
            redirect = 302;
        }
        // nginx decides this on the text as written: a trailing "?" drops the request's arguments
        boolean keepArgs = !replacement.endsWith("?");
        String uri = keepArgs ? replacement : replacement.substring(0, replacement.length() - 1);
        block.append(PROGRAM, new Op.Rewrite<>(regex, HttpDirectives.compile(ctx, node, uri), keepArgs, flag,
                redirect));
    }

    /** Compiles a regex of the config, with the error at the directive that has it. */
    static Regex<Request> regex(LoadContext ctx, ConfigNode node, String text, boolean caseless) throws ConfigException {
        try {
            return Regex.compile(text, caseless, table(ctx));
        } catch (IllegalArgumentException e) {
            throw Args.error(node, e.getMessage());
        }
    }

    /** The block's rewrite program with its nested {@code if} bodies compiled too. */
    static List<Op<Request>> program(Block block) {
        List<Object> entries = block.local(PROGRAM);
        if (entries == null) {
            return List.of();
        }
        List<Op<Request>> ops = new ArrayList<>(entries.size());
        for (Object e : entries) {
            if (e instanceof PendingIf p) {
                ops.add(new Op.If<>(p.condition(), program(p.body())));
            } else {
                @SuppressWarnings("unchecked")
                Op<Request> op = (Op<Request>) e;
                ops.add(op);
            }
        }
        return List.copyOf(ops);
    }

    private static io.tunnelgate.script.VariableTable<Request> table(LoadContext ctx) {
        return ctx.service(RequestVariables.class).table();
    }
}
