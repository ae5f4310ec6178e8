package io.tunnelgate.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds the directive tree of one file from its {@link Tokenizer}, as nginx's
 * {@code ngx_conf_parse} walks blocks: a {@code }} closes the block being read, and each file must
 * close every block it opens.
 *
 * <p>{@code include} is handed to an {@link IncludeHandler} the moment it is read, as nginx does,
 * so includes are read in config order and their errors come before errors later in the file.
 */
final class TreeBuilder {

    /** Expands one {@code include} directive into the nodes of the files it names. */
    @FunctionalInterface
    interface IncludeHandler {
        /**
         * Returns the nodes to splice in place of {@code include}.
         *
         * @param include the directive, already checked to end with {@code ;}
         */
        List<ConfigNode> expand(ConfigNode include) throws ConfigException;
    }

    static final String INCLUDE = "include";

    private final Tokenizer tokenizer;
    private final IncludeHandler includes;

    TreeBuilder(Tokenizer tokenizer, IncludeHandler includes) {
        this.tokenizer = tokenizer;
        this.includes = includes;
    }

    /** Reads the whole file and returns its top-level directives. */
    List<ConfigNode> build() throws ConfigException {
        return readBlock(false);
    }

    private List<ConfigNode> readBlock(boolean inBlock) throws ConfigException {
        List<ConfigNode> nodes = new ArrayList<>();
        for (;;) {
            Tokenizer.Statement st = tokenizer.next();
            SourcePos pos = new SourcePos(tokenizer.file(), st.line());
            switch (st.end()) {
                case BLOCK_END -> {
                    if (!inBlock) {
                        throw new ConfigException("unexpected \"}\"", pos);
                    }
                    return nodes;
                }
                case EOF -> {
                    if (inBlock) {
                        throw new ConfigException("unexpected end of file, expecting \"}\"", pos);
                    }
                    return nodes;
                }
                default -> directive(st, pos, nodes);
            }
        }
    }

    private void directive(Tokenizer.Statement st, SourcePos pos, List<ConfigNode> into)
            throws ConfigException {
        String name = st.args().get(0).value();
        List<Arg> args = st.args().subList(1, st.args().size());
        boolean block = st.end() == Tokenizer.End.BLOCK_START;
        if (name.equals(INCLUDE)) {
            if (block) {
                // nginx checks the terminator before the argument count, and never reads the block
                throw new ConfigException("directive \"include\" is not terminated by \";\"", pos);
            }
            into.addAll(includes.expand(new ConfigNode(name, args, pos, null)));
            return;
        }
        into.add(new ConfigNode(name, args, pos, block ? readBlock(true) : null));
    }
}
