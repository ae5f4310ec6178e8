package io.tunnelgate.config;

import java.util.List;
import java.util.Objects;

/**
 * One directive as written in the config, with {@code include} already expanded.
 *
 * @param name the first token (quoted or not, as nginx allows)
 * @param args the remaining tokens
 * @param pos the line on which the directive's terminating {@code ;} or {@code {} was read, in the
 *     file that contains it: the line nginx reports in errors about the directive
 * @param block null when the directive ended with {@code ;}; the (possibly empty) children when it
 *     opened a block
 */
public record ConfigNode(String name, List<Arg> args, SourcePos pos, List<ConfigNode> block) {

    /** Copies the lists so that a node, and so a whole tree, is immutable. */
    public ConfigNode {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(pos, "pos");
        args = List.copyOf(args);
        block = block == null ? null : List.copyOf(block);
    }

    /** True when the directive opened a {@code { ... }} block. */
    public boolean isBlock() {
        return block != null;
    }

    /** Number of arguments, not counting the name. */
    public int argCount() {
        return args.size();
    }

    /**
     * The decoded value of one argument.
     *
     * @param i 0-based index, not counting the name
     */
    public String arg(int i) {
        return args.get(i).value();
    }
}
