package io.tunnelgate.script;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * One run of a rewrite program (a server's or a location's {@code set}/{@code if}/{@code return}/
 * {@code break}/{@code rewrite} directives) for one request.
 *
 * <p>An interpreter with an explicit stack rather than recursion, so that it can stop in the middle:
 * a file test ({@code if (-f ...)}) returns {@link Outcome.NeedsFile}, the caller checks the file
 * off the event loop and calls {@link #resume(boolean)} and {@link #run} again. Everything else runs
 * to an outcome at once.
 *
 * @param <C> the request type
 */
public final class ScriptRun<C extends ScriptContext> {
    /** How a run ended (or paused). */
    public sealed interface Outcome {
        /** The program ran to its end. */
        record Done() implements Outcome {
        }

        /** {@code break}, or {@code rewrite ... break}: stop here, stay in the location. */
        record Stopped() implements Outcome {
        }

        /** {@code return}: answer the request. {@code text} (a body or URL) may be null. */
        record Respond(int code, String text) implements Outcome {
        }

        /** {@code rewrite ... last}: find the location again for the new URI. */
        record Restart() implements Outcome {
        }

        /** A redirecting {@code rewrite}: answer with {@code code} and {@code Location: url}. */
        record Redirect(int code, String url) implements Outcome {
        }

        /** An {@code if} needs a file test; answer it with {@link #resume(boolean)}. */
        record NeedsFile(String path, Condition.FileKind kind) implements Outcome {
        }
    }

    private static final Outcome DONE = new Outcome.Done();
    private static final Outcome STOPPED = new Outcome.Stopped();
    private static final Outcome RESTART = new Outcome.Restart();

    private final Deque<Frame<C>> stack = new ArrayDeque<>(4);
    private Op.If<C> pendingIf;

    /** Where a nesting level of the program is. */
    private static final class Frame<C extends ScriptContext> {
        final List<Op<C>> ops;
        int next;

        Frame(List<Op<C>> ops) {
            this.ops = ops;
        }
    }

    public ScriptRun(List<Op<C>> program) {
        stack.push(new Frame<>(program));
    }

    /** Runs until the program ends, stops, answers, or needs a file test. */
    public Outcome run(C ctx) {
        while (!stack.isEmpty()) {
            Frame<C> f = stack.peek();
            if (f.next >= f.ops.size()) {
                stack.pop();
                continue;
            }
            Outcome outcome = step(f.ops.get(f.next++), ctx);
            if (outcome != null) {
                if (!(outcome instanceof Outcome.NeedsFile)) {
                    stack.clear();
                }
                return outcome;
            }
        }
        return DONE;
    }

    /** Answers the pending file test: whether the file exists in the asked way. */
    public void resume(boolean exists) {
        Op.If<C> i = pendingIf;
        pendingIf = null;
        boolean negate = ((Condition.FileTest<C>) i.condition()).negate();
        if (exists != negate) {
            stack.push(new Frame<>(i.body()));
        }
    }

    private Outcome step(Op<C> op, C ctx) {
        if (op instanceof Op.Set<C> s) {
            s.setter().set(ctx, s.value().evaluate(ctx));
        } else if (op instanceof Op.If<C> i) {
            if (i.condition() instanceof Condition.FileTest<C> ft) {
                pendingIf = i;
                return new Outcome.NeedsFile(ft.path().evaluate(ctx), ft.kind());
            }
            if (test(i.condition(), ctx)) {
                stack.push(new Frame<>(i.body()));
            }
        } else if (op instanceof Op.Return<C> r) {
            return new Outcome.Respond(r.code(), r.text() == null ? null : r.text().evaluate(ctx));
        } else if (op instanceof Op.Break<C>) {
            return STOPPED;
        } else if (op instanceof Op.Rewrite<C> rw) {
            return rewrite(rw, ctx);
        }
        return null;
    }

    private static <C extends ScriptContext> boolean test(Condition<C> c, C ctx) {
        if (c instanceof Condition.Truthy<C> t) {
            String v = t.value().evaluate(ctx);
            return !v.isEmpty() && !v.equals("0");
        }
        if (c instanceof Condition.Equals<C> e) {
            return e.left().evaluate(ctx).equals(e.right().evaluate(ctx)) != e.negate();
        }
        Condition.Matches<C> m = (Condition.Matches<C>) c;
        return m.regex().matches(ctx, m.left().evaluate(ctx)) != m.negate();
    }

    /**
     * nginx's rewrite: on a match the replacement becomes the URI and the text after its first
     * {@code ?} the arguments; the request's arguments are appended ({@code &}) unless the
     * replacement ended with {@code ?}. A redirect's Location is the replacement with the kept
     * arguments after {@code ?} or {@code &}.
     */
    private static <C extends ScriptContext> Outcome rewrite(Op.Rewrite<C> rw, C ctx) {
        if (!rw.regex().matches(ctx, ctx.scriptUri())) {
            return null;
        }
        String value = rw.replacement().evaluate(ctx);
        String oldArgs = rw.keepArgs() ? ctx.scriptArgs() : "";
        int q = value.indexOf('?');
        if (rw.redirect() != 0) {
            String url = oldArgs.isEmpty() ? value : value + (q < 0 ? '?' : '&') + oldArgs;
            return new Outcome.Redirect(rw.redirect(), url);
        }
        String args;
        if (q < 0) {
            args = oldArgs;
        } else {
            args = oldArgs.isEmpty() ? value.substring(q + 1) : value.substring(q + 1) + '&' + oldArgs;
        }
        ctx.rewriteUri(q < 0 ? value : value.substring(0, q), args);
        return switch (rw.flag()) {
            case LAST -> RESTART;
            case BREAK -> STOPPED;
            default -> null;
        };
    }
}
