package io.tunnelgate.config;

import java.util.EnumSet;
import java.util.Set;

/**
 * One row of the directive registry: name, where it may appear, how many arguments it takes,
 * whether it opens a block, and what it does.
 *
 * @param maxArgs {@link #UNLIMITED} for "one or more"
 * @param raw for a block: its contents are not directives (a {@code types} or {@code map} table);
 *     the handler reads {@code node.block()} itself and the loader does not walk it
 */
public record DirectiveSpec(String name, Set<Context> contexts, int minArgs, int maxArgs,
                            boolean block, boolean raw, DirectiveHandler handler) {
    public static final int UNLIMITED = Integer.MAX_VALUE;

    public DirectiveSpec {
        contexts = Set.copyOf(EnumSet.copyOf(contexts));
    }

    /** A directive ending with {@code ;}. */
    public static DirectiveSpec simple(String name, Set<Context> contexts, int minArgs, int maxArgs,
                                       DirectiveHandler handler) {
        return new DirectiveSpec(name, contexts, minArgs, maxArgs, false, false, handler);
    }

    /** A directive opening {@code { }}. */
    public static DirectiveSpec block(String name, Set<Context> contexts, int minArgs, int maxArgs,
                                      DirectiveHandler handler) {
        return new DirectiveSpec(name, contexts, minArgs, maxArgs, true, false, handler);
    }

    /** A directive opening {@code { }} whose contents its handler reads as a table. */
    public static DirectiveSpec rawBlock(String name, Set<Context> contexts, int minArgs, int maxArgs,
                                         DirectiveHandler handler) {
        return new DirectiveSpec(name, contexts, minArgs, maxArgs, true, true, handler);
    }
}
