package io.tunnelgate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link ConfigLoader} against a small directive table: nginx's checks in nginx's order (known
 * name, allowed context, {@code ;} or {@code {}, argument count) with its messages and the
 * directive's {@code file:line}, handlers run in config order, and block contents loaded into the
 * child block the handler opened (raw blocks left to their handler).
 */
class ConfigLoaderTest {
    private static final Path FILE = Path.of("/etc/tunnelgate/test.conf");
    private static final Setting<String> NAME = Setting.of("name", "none");

    private final List<String> calls = new ArrayList<>();

    private DirectiveRegistry registry() {
        DirectiveRegistry r = new DirectiveRegistry();
        r.add(DirectiveSpec.block("http", Set.of(Context.MAIN), 0, 0, (c, b, n) -> b.openChild(Context.HTTP, n)))
                .add(DirectiveSpec.block("server", Set.of(Context.HTTP), 0, 0,
                        (c, b, n) -> b.openChild(Context.SERVER, n)))
                .add(DirectiveSpec.simple("name", EnumSet.of(Context.HTTP, Context.SERVER), 1, 1, (c, b, n) -> {
                    calls.add("name " + n.arg(0) + " in " + b.context().label());
                    b.set(NAME, n.arg(0), n);
                }))
                .add(DirectiveSpec.simple("none", Set.of(Context.SERVER), 0, 0, (c, b, n) -> calls.add("none")))
                .add(DirectiveSpec.simple("some", Set.of(Context.SERVER), 1, 2, (c, b, n) -> calls.add("some")))
                .add(DirectiveSpec.simple("many", Set.of(Context.SERVER), 1, DirectiveSpec.UNLIMITED,
                        (c, b, n) -> calls.add("many " + n.argCount())))
                .add(DirectiveSpec.simple("bad", Set.of(Context.SERVER), 1, 1, (c, b, n) -> {
                    throw Args.invalidValue(n, n.arg(0));
                }))
                .add(DirectiveSpec.rawBlock("types", Set.of(Context.HTTP), 0, 0,
                        (c, b, n) -> calls.add("types with " + n.block().size() + " entries")))
                .add(DirectiveSpec.block("broken", Set.of(Context.HTTP), 0, 0, (c, b, n) -> { }))
                .add(DirectiveSpec.block("upstream", Set.of(Context.HTTP), 1, 1,
                        (c, b, n) -> b.openChild(Context.UPSTREAM, n)))
                .add(DirectiveSpec.simple("server", Set.of(Context.UPSTREAM), 1, 2,
                        (c, b, n) -> calls.add("upstream server " + n.arg(0))));
        return r;
    }

    private Block load(String text) throws ConfigException {
        return new ConfigLoader(registry()).load(ConfigReader.read(text, FILE).nodes(), new LoadContext(Path.of("/")));
    }

    private void assertError(String text, String reason, int line) {
        assertThatThrownBy(() -> load(text)).isInstanceOfSatisfying(ConfigException.class, e -> {
            assertThat(e.reason()).isEqualTo(reason);
            assertThat(e.pos()).isEqualTo(new SourcePos(FILE, line));
            assertThat(e.getMessage()).isEqualTo(reason + " in " + FILE + ":" + line);
        });
    }

    @Test
    void blocksAreLoadedIntoTheChildTheirHandlerOpened() throws Exception {
        Block main = load("""
                http {
                    name h;
                    server {
                        name s1;
                    }
                    server {
                        many a b c;
                    }
                }
                """);
        Block http = main.children(Context.HTTP).get(0);
        List<Block> servers = http.children(Context.SERVER);
        assertThat(servers).hasSize(2);
        assertThat(servers.get(0).get(NAME)).isEqualTo("s1");
        assertThat(servers.get(1).get(NAME)).as("inherited from http").isEqualTo("h");
        assertThat(servers.get(1).node().pos()).isEqualTo(new SourcePos(FILE, 6));
        assertThat(calls).containsExactly("name h in http", "name s1 in server", "many 3");
    }

    @Test
    void aRawBlockIsLeftToItsHandler() throws Exception {
        load("http {\n    types {\n        text/html html htm;\n        anything goes;\n    }\n}\n");
        assertThat(calls).containsExactly("types with 2 entries");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "http { server { nope; } }                | unknown directive \"nope\"",
        "name x;                                  | \"name\" directive is not allowed here",
        "http { none; }                           | \"none\" directive is not allowed here",
        "http { none a b c { } }                  | \"none\" directive is not allowed here",
        "http { server; }                         | directive \"server\" has no opening \"{\"",
        "http { server a; }                       | directive \"server\" has no opening \"{\"",
        "http { server { name x { } } }           | directive \"name\" is not terminated by \";\"",
        "http { server { none x { } } }           | directive \"none\" is not terminated by \";\"",
        "http { server x { } }                    | invalid number of arguments in \"server\" directive",
        "http { server { none x; } }              | invalid number of arguments in \"none\" directive",
        "http { server { some; } }                | invalid number of arguments in \"some\" directive",
        "http { server { some a b c; } }          | invalid number of arguments in \"some\" directive",
        "http { server { many; } }                | invalid number of arguments in \"many\" directive",
        "http { name a; name b; }                 | \"name\" directive is duplicate",
        "http { server { bad v; } }               | invalid value \"v\" in \"bad\" directive"})
    void nginxsChecksAndMessages(String text, String reason) {
        assertError(text, reason, 1);
    }

    @Test
    void theErrorNamesTheLineOfTheDirectivesTerminator() {
        assertError("http {\n    server {\n        some\n            a\n            b\n            c;\n    }\n}\n",
                "invalid number of arguments in \"some\" directive", 6);
        assertError("http {\n    server\n\n    {\n        none;\n    }\n    server;\n}\n",
                "directive \"server\" has no opening \"{\"", 7);
    }

    @Test
    void checksStopAtTheFirstError() {
        assertError("http {\n    server {\n        none;\n        nope;\n        bad v;\n    }\n}\n",
                "unknown directive \"nope\"", 4);
        assertThat(calls).containsExactly("none");
    }

    @Test
    void aBlockHandlerThatOpensNoBlockIsAWiringBug() {
        assertThatThrownBy(() -> load("http { broken { } }")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("broken");
    }

    @Test
    void oneNameMayHaveRowsForDifferentContexts() throws Exception {
        Block main = load("http {\n    upstream u {\n        server a;\n    }\n    server {\n        none;\n    }\n}\n");
        assertThat(main.children(Context.HTTP).get(0).children(Context.SERVER)).hasSize(1);
        assertThat(calls).containsExactly("upstream server a", "none");
        assertError("http { upstream u { server { } } }", "directive \"server\" is not terminated by \";\"", 1);
        assertError("http { upstream u { server a b c; } }", "invalid number of arguments in \"server\" directive", 1);
        assertError("http { server { server a; } }", "\"server\" directive is not allowed here", 1);
        assertError("http { upstream u { none; } }", "\"none\" directive is not allowed here", 1);
    }

    @Test
    void aNameRegisteredTwiceForOneContextIsAWiringBug() {
        DirectiveRegistry r = registry();
        assertThatThrownBy(() -> r.add(DirectiveSpec.simple("server", Set.of(Context.UPSTREAM, Context.IF), 0, 0,
                (c, b, n) -> { }))).isInstanceOf(IllegalStateException.class).hasMessageContaining("upstream");
        assertThat(r.find("server", Context.IF)).isNull();
    }
}
