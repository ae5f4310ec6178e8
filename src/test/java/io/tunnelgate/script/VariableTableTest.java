package io.tunnelgate.script;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * The variable table's nginx rules: names ignore case, a value may use a variable defined later
 * (resolved when loading ends), an undefined one is reported with where it was used, and a
 * read-only built-in cannot be {@code set}.
 */
class VariableTableTest {
    private final VariableTable<FakeContext> table = new VariableTable<>();

    @Test
    void namesIgnoreCase() {
        table.define("host", ctx -> "example.com");
        assertThat(table.lookup("HOST").get(new FakeContext(""))).isEqualTo("example.com");
        FakeContext ctx = new FakeContext("");
        table.setterFor("MyVar").set(ctx, "set as MyVar");
        assertThat(table.require("MYVAR", "site").get(ctx)).isEqualTo("set as MyVar");
    }

    @Test
    void aForwardReferenceResolvesWhenLoadingEnds() {
        Getter<FakeContext> later = table.require("later", "site-1");
        int slot = table.declareUser("later");
        assertThat(table.seal()).isNull();
        FakeContext ctx = new FakeContext("");
        ctx.slot(slot, "value");
        assertThat(later.get(ctx)).isEqualTo("value");
    }

    @Test
    void aVariableNeverDefinedIsReportedWithItsFirstUse() {
        table.require("nowhere", "file.conf:7");
        assertThat(table.seal()).isEqualTo(new VariableTable.Unresolved("nowhere", "file.conf:7"));
    }

    @Test
    void aReadOnlyBuiltInCannotBeSet() {
        table.define("host", ctx -> "example.com");
        assertThatThrownBy(() -> table.setterFor("Host"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the duplicate \"host\" variable");
    }
}
