package io.tunnelgate.config;

/**
 * Applies one directive to the block it appears in (nginx's command "set" function).
 *
 * <p>The loader has already checked the context and the argument count; the handler parses the
 * arguments, reports bad values as {@link ConfigException}s at {@code node.pos()}, and stores the
 * result in {@code block}. Block directives create their child block with
 * {@link Block#openChild}; the loader then walks the children inside it.
 */
@FunctionalInterface
public interface DirectiveHandler {
    void apply(LoadContext ctx, Block block, ConfigNode node) throws ConfigException;
}
