package io.tunnelgate.config;

import java.util.List;

/**
 * Walks a parsed directive tree through the {@link DirectiveRegistry}: checks each directive's
 * name, context, argument count and block shape with nginx's messages, then runs its handler.
 */
public final class ConfigLoader {
    private final DirectiveRegistry registry;

    public ConfigLoader(DirectiveRegistry registry) {
        this.registry = registry;
    }

    /** Loads the top-level nodes into a new main block. */
    public Block load(List<ConfigNode> nodes, LoadContext ctx) throws ConfigException {
        Block main = Block.root();
        apply(nodes, main, ctx);
        return main;
    }

    private void apply(List<ConfigNode> nodes, Block block, LoadContext ctx) throws ConfigException {
        for (ConfigNode node : nodes) {
            DirectiveSpec spec = check(node, block.context());
            int before = block.children().size();
            spec.handler().apply(ctx, block, node);
            if (spec.block() && !spec.raw()) {
                List<Block> children = block.children();
                if (children.size() != before + 1) {
                    throw new IllegalStateException("block directive " + node.name() + " opened no block");
                }
                apply(node.block(), children.get(before), ctx);
            }
        }
    }

    private DirectiveSpec check(ConfigNode node, Context context) throws ConfigException {
        if (!registry.knows(node.name())) {
            throw new ConfigException("unknown directive \"" + node.name() + "\"", node.pos());
        }
        DirectiveSpec spec = registry.find(node.name(), context);
        if (spec == null) {
            throw new ConfigException("\"" + node.name() + "\" directive is not allowed here", node.pos());
        }
        if (spec.block() && !node.isBlock()) {
            throw new ConfigException("directive \"" + node.name() + "\" has no opening \"{\"", node.pos());
        }
        if (!spec.block() && node.isBlock()) {
            throw new ConfigException("directive \"" + node.name() + "\" is not terminated by \";\"",
                    node.pos());
        }
        int n = node.argCount();
        if (n < spec.minArgs() || n > spec.maxArgs()) {
            throw new ConfigException("invalid number of arguments in \"" + node.name() + "\" directive",
                    node.pos());
        }
        return spec;
    }
}
