package io.tunnelgate.log;

import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelgate.script.Captures;
import io.tunnelgate.script.CountGetter;
import io.tunnelgate.script.ScriptContext;
import io.tunnelgate.script.VariableTable;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A compiled log_format writes literals, values (escaped), "-" for not found, and counts as digits. */
class LogFormatTest {
    /** A request of this test: header-like values by name. */
    private record Ctx(Map<String, String> values, long bytes) implements ScriptContext {
        @Override
        public Object slot(int index) {
            return null;
        }

        @Override
        public void slot(int index, Object value) {
        }

        @Override
        public Captures captures() {
            return null;
        }

        @Override
        public void captures(Captures captures) {
        }

        @Override
        public void scriptWarning(String message) {
        }

        @Override
        public String scriptUri() {
            return "";
        }

        @Override
        public String scriptArgs() {
            return "";
        }

        @Override
        public void rewriteUri(String uri, String args) {
        }
    }

    private static String line(String format, Escape escape, Ctx ctx) {
        VariableTable<Ctx> table = new VariableTable<>();
        table.defineCount("bytes_sent", c -> c.bytes())
                .define("missing", c -> null)
                .definePrefix("v_", name -> c -> c.values().get(name));
        LogFormat<Ctx> compiled = LogFormat.compile("t", format, escape, table, "test");
        assertThat(table.seal()).isNull();
        LineBuilder out = new LineBuilder(4);
        compiled.format(ctx, out);
        return out.toString();
    }

    @Test
    void writesLiteralsValuesCountsAndDashes() {
        Ctx ctx = new Ctx(Map.of("agent", "curl \"8\""), 1_234_567_890_123L);
        assertThat(line("[$v_agent] $bytes_sent $missing $v_none.", Escape.DEFAULT, ctx))
                .isEqualTo("[curl \\x228\\x22] 1234567890123 - -.\n");
        assertThat(line("{\"b\":$bytes_sent,\"m\":\"$missing\"}", Escape.JSON, ctx))
                .isEqualTo("{\"b\":1234567890123,\"m\":\"\"}\n");
    }

    @Test
    void aCountIsWrittenAsDigitsWithoutItsString() {
        CountGetter<Ctx> count = new CountGetter<>() {
            @Override
            public long count(Ctx ctx) {
                return 42;
            }

            @Override
            public String get(Ctx ctx) {
                throw new AssertionError("a log line formats a count without making its string");
            }
        };
        VariableTable<Ctx> table = new VariableTable<>();
        table.defineCount("n", count);
        LogFormat<Ctx> compiled = LogFormat.compile("t", "n=$n", Escape.DEFAULT, table, "test");
        LineBuilder out = new LineBuilder();
        compiled.format(new Ctx(Map.of(), 0), out);
        assertThat(out.toString()).isEqualTo("n=42\n");
    }
}
