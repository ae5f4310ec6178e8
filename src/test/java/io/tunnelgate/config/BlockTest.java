package io.tunnelgate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link Block} and {@link Setting}: nginx's merge from enclosing blocks, settings that are never
 * inherited, "is duplicate" per level (also for two directives sharing one slot), and list
 * settings where a level that sets any value replaces what it would inherit.
 */
class BlockTest {
    private static final Path FILE = Path.of("/etc/tunnelgate/tunnelgate.conf");
    private static final Setting<Long> TIMEOUT = Setting.of("timeout", 60_000L);
    private static final Setting<String> RESPONSE = Setting.local("response", "default");
    private static final Setting<List<String>> LOGS = Setting.of("logs", null);

    private static ConfigNode node(String name, int line) {
        return new ConfigNode(name, List.of(new Arg("x", false)), new SourcePos(FILE, line), null);
    }

    private static ConfigNode opener(String name, int line) {
        return new ConfigNode(name, List.of(), new SourcePos(FILE, line), List.of());
    }

    @Test
    void aLevelWithoutTheValueInheritsTheNearestEnclosingOne() throws Exception {
        Block main = Block.root();
        Block http = main.openChild(Context.HTTP, opener("http", 1));
        Block server = http.openChild(Context.SERVER, opener("server", 2));
        Block location = server.openChild(Context.LOCATION, opener("location", 3));

        assertThat(location.get(TIMEOUT)).as("default when nobody sets it").isEqualTo(60_000L);
        http.set(TIMEOUT, 10_000L, node("timeout", 4));
        assertThat(server.get(TIMEOUT)).isEqualTo(10_000L);
        assertThat(location.get(TIMEOUT)).isEqualTo(10_000L);
        server.set(TIMEOUT, 20_000L, node("timeout", 5));
        assertThat(location.get(TIMEOUT)).as("the nearest level wins").isEqualTo(20_000L);
        assertThat(http.get(TIMEOUT)).as("a child never changes its parent").isEqualTo(10_000L);
        assertThat(location.isSetHere(TIMEOUT)).isFalse();
        assertThat(location.local(TIMEOUT)).isNull();
        assertThat(server.local(TIMEOUT)).isEqualTo(20_000L);
    }

    @Test
    void aLocalSettingIsNeverInherited() throws Exception {
        Block http = Block.root().openChild(Context.HTTP, opener("http", 1));
        Block server = http.openChild(Context.SERVER, opener("server", 2));
        http.set(RESPONSE, "from http", node("response", 3));
        assertThat(server.get(RESPONSE)).as("like the module's proxy_connect_response").isEqualTo("default");
        server.set(RESPONSE, "from server", node("response", 4));
        assertThat(server.get(RESPONSE)).isEqualTo("from server");
        assertThat(RESPONSE.inherited()).isFalse();
        assertThat(TIMEOUT.inherited()).isTrue();
    }

    @Test
    void settingTwiceAtOneLevelIsDuplicateAtTheSecondDirective() throws Exception {
        Block server = Block.root().openChild(Context.HTTP, opener("http", 1)).openChild(Context.SERVER,
                opener("server", 2));
        server.set(TIMEOUT, 1L, node("proxy_connect_data_timeout", 3));
        assertThatThrownBy(() -> server.set(TIMEOUT, 2L, node("proxy_connect_read_timeout", 7)))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.reason()).isEqualTo("\"proxy_connect_read_timeout\" directive is duplicate");
                    assertThat(e.pos()).isEqualTo(new SourcePos(FILE, 7));
                    assertThat(e.getMessage()).isEqualTo(
                            "\"proxy_connect_read_timeout\" directive is duplicate in " + FILE + ":7");
                });
        assertThat(server.get(TIMEOUT)).as("the first value stays").isEqualTo(1L);
    }

    @Test
    void theSameSettingAtDifferentLevelsIsNotDuplicate() throws Exception {
        Block http = Block.root().openChild(Context.HTTP, opener("http", 1));
        Block server = http.openChild(Context.SERVER, opener("server", 2));
        http.set(TIMEOUT, 1L, node("proxy_connect_data_timeout", 3));
        server.set(TIMEOUT, 2L, node("proxy_connect_read_timeout", 5));
        assertThat(server.get(TIMEOUT)).isEqualTo(2L);
    }

    @Test
    void putReplacesWithoutDuplicateCheck() throws Exception {
        Block b = Block.root();
        b.put(TIMEOUT, 1L);
        b.put(TIMEOUT, 2L);
        assertThat(b.get(TIMEOUT)).isEqualTo(2L);
        assertThatThrownBy(() -> b.set(TIMEOUT, 3L, node("timeout", 1))).isInstanceOf(ConfigException.class);
    }

    @Test
    void aLevelThatAppendsReplacesTheInheritedList() {
        Block http = Block.root().openChild(Context.HTTP, opener("http", 1));
        Block server = http.openChild(Context.SERVER, opener("server", 2));
        Block other = http.openChild(Context.SERVER, opener("server", 9));
        assertThat(server.get(LOGS)).isNull();
        http.append(LOGS, "http-1");
        http.append(LOGS, "http-2");
        server.append(LOGS, "server-1");
        assertThat(http.get(LOGS)).containsExactly("http-1", "http-2");
        assertThat(server.get(LOGS)).containsExactly("server-1");
        assertThat(other.get(LOGS)).containsExactly("http-1", "http-2");
        assertThatThrownBy(() -> other.get(LOGS).add("x")).as("reads are copies")
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void childrenAndEnclosingBlocks() {
        Block main = Block.root();
        Block events = main.openChild(Context.EVENTS, opener("events", 1));
        Block http = main.openChild(Context.HTTP, opener("http", 3));
        Block first = http.openChild(Context.SERVER, opener("server", 4));
        Block location = first.openChild(Context.LOCATION, opener("location", 5));
        Block second = http.openChild(Context.SERVER, opener("server", 8));

        assertThat(main.context()).isEqualTo(Context.MAIN);
        assertThat(main.parent()).isNull();
        assertThat(main.node()).isNull();
        assertThat(main.children()).containsExactly(events, http);
        assertThat(main.children(Context.HTTP)).containsExactly(http);
        assertThat(http.children(Context.SERVER)).containsExactly(first, second);
        assertThat(location.enclosing(Context.HTTP)).isSameAs(http);
        assertThat(location.enclosing(Context.LOCATION)).isSameAs(location);
        assertThat(second.enclosing(Context.EVENTS)).isNull();
        assertThat(location.parent()).isSameAs(first);
        assertThat(second.node().pos()).isEqualTo(new SourcePos(FILE, 8));
        assertThatThrownBy(() -> main.children().add(events)).isInstanceOf(UnsupportedOperationException.class);
    }
}
