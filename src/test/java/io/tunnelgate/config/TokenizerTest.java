package io.tunnelgate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The tokenizer's rules, through the public reader: words, quotes, escapes, comments, variables. */
class TokenizerTest {

    private static final Path FILE = Path.of("/etc/tunnelgate/tunnelgate.conf");

    private static List<ConfigNode> parse(String text) throws ConfigException {
        return ConfigReader.read(text, FILE).nodes();
    }

    private static ConfigNode only(String text) throws ConfigException {
        List<ConfigNode> nodes = parse(text);
        assertThat(nodes).hasSize(1);
        return nodes.get(0);
    }

    private static List<String> values(ConfigNode n) {
        return n.args().stream().map(Arg::value).toList();
    }

    @Test
    void whitespaceOfEveryKindSeparatesTokens() throws Exception {
        ConfigNode n = only("  listen\t127.0.0.1:8080 \r\n  reuseport\n;");
        assertThat(n.name()).isEqualTo("listen");
        assertThat(values(n)).containsExactly("127.0.0.1:8080", "reuseport");
        assertThat(n.isBlock()).isFalse();
        assertThat(n.block()).isNull();
        assertThat(n.argCount()).isEqualTo(2);
        assertThat(n.arg(1)).isEqualTo("reuseport");
    }

    @Test
    void directiveWithoutArgumentsAndSemicolonGluedToWord() throws Exception {
        List<ConfigNode> nodes = parse("proxy_connect;a b;c\n;");
        assertThat(nodes).extracting(ConfigNode::name).containsExactly("proxy_connect", "a", "c");
        assertThat(nodes.get(0).argCount()).isZero();
        assertThat(values(nodes.get(1))).containsExactly("b");
    }

    @Test
    void positionIsTheLineOfTheTerminator() throws Exception {
        List<ConfigNode> nodes = parse("a 1;\n\nb\n 2\n  ;\nc {\n}\nd\n{\n}\n");
        assertThat(nodes).extracting(n -> n.pos().line()).containsExactly(1, 5, 6, 9);
        assertThat(nodes.get(0).pos().file()).isEqualTo(FILE);
        assertThat(nodes.get(0).pos()).hasToString("/etc/tunnelgate/tunnelgate.conf:1");
    }

    @Test
    void commentRunsToEndOfLineOnlyAtTokenStart() throws Exception {
        List<ConfigNode> nodes = parse("# head ; { } \"\n"
                + "a b#c d; # tail ; }\n"
                + "e \"x#y\" 'p # q';#\n");
        assertThat(nodes).hasSize(2);
        assertThat(values(nodes.get(0))).containsExactly("b#c", "d");
        assertThat(values(nodes.get(1))).containsExactly("x#y", "p # q");
        assertThat(nodes.get(1).pos().line()).isEqualTo(3);
    }

    @Test
    void commentBetweenArgumentsOfOneDirective() throws Exception {
        ConfigNode n = only("a b # c ;\n d;");
        assertThat(values(n)).containsExactly("b", "d");
        assertThat(n.pos().line()).isEqualTo(2);
    }

    @Test
    void quotesKeepDelimitersAndMarkTheArgument() throws Exception {
        ConfigNode n = only("\"na me\" \"a; {b} #c\" 'x \"y\" z' '' plain;");
        assertThat(n.name()).isEqualTo("na me");
        assertThat(n.args()).containsExactly(
                new Arg("a; {b} #c", true),
                new Arg("x \"y\" z", true),
                new Arg("", true),
                new Arg("plain", false));
    }

    @Test
    void quoteInsideWordIsAnOrdinaryCharacter() throws Exception {
        ConfigNode n = only("a\"b\" c'd' e\"f g\";");
        assertThat(n.name()).isEqualTo("a\"b\"");
        assertThat(n.args()).containsExactly(
                new Arg("c'd'", false), new Arg("e\"f", false), new Arg("g\"", false));
    }

    @Test
    void quotedTokenMayBeFollowedByDelimitersAndParenthesis() throws Exception {
        List<ConfigNode> nodes = parse("a \"1\";b '2'{}c \"3\"\t\"4\"\n;if ($x = \"y\") { }");
        assertThat(values(nodes.get(0))).containsExactly("1");
        assertThat(nodes.get(1).isBlock()).isTrue();
        assertThat(values(nodes.get(2))).containsExactly("3", "4");
        ConfigNode cond = nodes.get(3);
        assertThat(cond.name()).isEqualTo("if");
        assertThat(values(cond)).containsExactly("($x", "=", "y", ")");
        assertThat(cond.args().get(2).quoted()).isTrue();
        assertThat(cond.args().get(3).quoted()).isFalse();
        // ")" only ends the need for a space; it starts a word that goes on
        assertThat(values(only("a \"b\")c;"))).containsExactly("b", ")c");
    }

    @Test
    void characterGluedAfterClosingQuoteIsAnError() {
        assertError("a \"b\"c;", "unexpected \"c\"", 1);
        assertError("a\n'b'#c;", "unexpected \"#\"", 2);
        assertError("server {\n a \"b\"}\n", "unexpected \"}\"", 2);
        assertError("a \"b\"'c';", "unexpected \"'\"", 1);
        assertError("a \"b\"ж;", "unexpected \"ж\"", 1);
    }

    @Test
    void dollarBraceDoesNotOpenABlock() throws Exception {
        List<ConfigNode> nodes = parse("set $a ${host}suffix;\nreturn 200 x${b}y${c};\n${v} on;");
        assertThat(values(nodes.get(0))).containsExactly("$a", "${host}suffix");
        assertThat(values(nodes.get(1))).containsExactly("200", "x${b}y${c}");
        assertThat(nodes.get(2).name()).isEqualTo("${v}");
        assertThat(nodes).allSatisfy(n -> assertThat(n.isBlock()).isFalse());
    }

    @Test
    void loneDollarBeforeSpaceDoesNotSwallowTheBrace() throws Exception {
        ConfigNode n = only("$ {}");
        assertThat(n.name()).isEqualTo("$");
        assertThat(n.isBlock()).isTrue();
    }

    @Test
    void braceNotAfterDollarStillOpensABlock() throws Exception {
        ConfigNode n = only("location $x{ a; }");
        assertThat(values(n)).containsExactly("$x");
        assertThat(n.isBlock()).isTrue();
        assertThat(n.block()).extracting(ConfigNode::name).containsExactly("a");
    }

    @Test
    void closingBraceInsideWordIsPartOfTheWord() {
        // nginx reads "b}" as one word, so the directive never ends
        assertError("a b}\n", "unexpected end of file, expecting \";\" or \"}\"", 2);
    }

    @Test
    void escapesAreDecodedInEveryToken() throws Exception {
        ConfigNode n = only("r \"q\\\"d\\'s\\\\b\\tt\\rr\\nn\" 'x\\'y' a\\tb\\nc \\\"w;");
        assertThat(n.args()).containsExactly(
                new Arg("q\"d's\\b\tt\rr\nn", true),
                new Arg("x'y", true),
                new Arg("a\tb\nc", false),
                new Arg("\"w", false));
    }

    @Test
    void unknownEscapeStaysAsTyped() throws Exception {
        ConfigNode n = only("rewrite ^/a\\.b$ \"\\d\\x\";");
        assertThat(values(n)).containsExactly("^/a\\.b$", "\\d\\x");
    }

    @Test
    void backslashKeepsTheNextCharacterFromDelimiting() throws Exception {
        ConfigNode n = only("a b\\;c d\\ e \\{f\\} g\\#h \"i\\\\\";");
        assertThat(values(n)).containsExactly("b\\;c", "d\\ e", "\\{f\\}", "g\\#h", "i\\");
    }

    @Test
    void utf8IsDecoded() throws Exception {
        ConfigNode n = only("server_name пример.рф \"名前 x\";");
        assertThat(values(n)).containsExactly("пример.рф", "名前 x");
    }

    @Test
    void blocksNestThreeDeep() throws Exception {
        List<ConfigNode> nodes = parse("""
                http {
                    server {
                        location / {
                            return 200 ok;
                        }
                        proxy_connect;
                    }
                    empty {}
                }
                events { }
                """);
        assertThat(nodes).extracting(ConfigNode::name).containsExactly("http", "events");
        ConfigNode http = nodes.get(0);
        assertThat(http.pos().line()).isEqualTo(1);
        ConfigNode server = http.block().get(0);
        assertThat(server.block()).extracting(ConfigNode::name).containsExactly("location", "proxy_connect");
        ConfigNode location = server.block().get(0);
        assertThat(values(location)).containsExactly("/");
        assertThat(location.pos().line()).isEqualTo(3);
        ConfigNode ret = location.block().get(0);
        assertThat(values(ret)).containsExactly("200", "ok");
        assertThat(ret.pos().line()).isEqualTo(4);
        assertThat(server.block().get(1).pos().line()).isEqualTo(6);
        ConfigNode empty = http.block().get(1);
        assertThat(empty.isBlock()).isTrue();
        assertThat(empty.block()).isEmpty();
        assertThat(nodes.get(1).block()).isEmpty();
    }

    @Test
    void unexpectedCloseBraceAtTopLevel() {
        assertError("a;\n}\n", "unexpected \"}\"", 2);
        assertError("a {\n}\n}", "unexpected \"}\"", 3);
    }

    @Test
    void unexpectedCloseBraceAfterAnArgument() {
        assertError("http {\n  a b\n}\n", "unexpected \"}\"", 3);
    }

    @Test
    void openBraceOrSemicolonWithoutName() {
        assertError("\n{ a; }", "unexpected \"{\"", 2);
        assertError("a;\n\n ;", "unexpected \";\"", 3);
        assertError("a { ; }", "unexpected \";\"", 1);
    }

    @Test
    void endOfFileInsideADirective() {
        assertError("a b", "unexpected end of file, expecting \";\" or \"}\"", 1);
        assertError("a b\n\n", "unexpected end of file, expecting \";\" or \"}\"", 3);
        // a name that is not yet finished counts too
        assertError("a;\nb", "unexpected end of file, expecting \";\" or \"}\"", 2);
        assertError("http {\n a b\n", "unexpected end of file, expecting \";\" or \"}\"", 3);
    }

    @Test
    void endOfFileInsideQuotes() {
        assertError("a \"b;\n}\n", "unexpected end of file, expecting \";\" or \"}\"", 3);
        assertError("'b c", "unexpected end of file, expecting \";\" or \"}\"", 1);
        assertError("a \\", "unexpected end of file, expecting \";\" or \"}\"", 1);
    }

    @Test
    void endOfFileWithABlockOpen() {
        assertError("http {\n server {\n }\n", "unexpected end of file, expecting \"}\"", 4);
        assertError("http { # }\n", "unexpected end of file, expecting \"}\"", 2);
    }

    @Test
    void emptyAndCommentOnlyFilesHaveNoNodes() throws Exception {
        assertThat(parse("")).isEmpty();
        assertThat(parse(" \n\t# only a comment")).isEmpty();
    }

    @Test
    void tooLongParameter() throws Exception {
        String big = "x".repeat(Tokenizer.MAX_TOKEN - 1);
        assertThat(only("a " + big + ";").arg(0)).hasSize(Tokenizer.MAX_TOKEN - 1);
        assertError("a\n" + big + "x;", "too long parameter \"xxxxxxxxxx...\" started", 2);
        assertError("a \"" + big + "x\";",
                "too long parameter, probably missing terminating \"\"\" character", 1);
    }

    @Test
    void nodesAreImmutable() throws Exception {
        ConfigNode n = only("a b { c; }");
        assertThatThrownBy(() -> n.args().add(new Arg("x", false)))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> n.block().clear()).isInstanceOf(UnsupportedOperationException.class);
        List<Arg> source = new java.util.ArrayList<>(List.of(new Arg("v", false)));
        ConfigNode copy = new ConfigNode("n", source, n.pos(), null);
        source.clear();
        assertThat(copy.argCount()).isEqualTo(1);
    }

    @Test
    void exceptionMessageHasNginxShape() {
        SourcePos pos = new SourcePos(Path.of("/etc/tunnelgate.conf"), 12);
        ConfigException e = new ConfigException("unknown directive \"foo\"", pos);
        assertThat(e.getMessage()).isEqualTo("unknown directive \"foo\" in /etc/tunnelgate.conf:12");
        assertThat(e.reason()).isEqualTo("unknown directive \"foo\"");
        assertThat(e.pos()).isEqualTo(pos);
        ConfigException bare = new ConfigException("no pos", null);
        assertThat(bare.getMessage()).isEqualTo("no pos");
        assertThat(bare.pos()).isNull();
        assertThat(new SourcePos(Path.of("rel/t.conf"), 3)).hasToString("rel/t.conf:3");
    }

    static void assertError(String text, String reason, int line) {
        assertThatThrownBy(() -> ConfigReader.read(text, FILE))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.reason()).isEqualTo(reason);
                    assertThat(e.pos()).isEqualTo(new SourcePos(FILE, line));
                    assertThat(e.getMessage()).isEqualTo(reason + " in " + FILE + ":" + line);
                });
    }
}
