package io.tunnelgate.script;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A compiled map read through its variable, as nginx evaluates one: exact keys, then regexes in
 * config order with their captures, then the default; lazily, and cached per request unless
 * volatile.
 */
class MapVariableTest {
    private final VariableTable<FakeContext> table = new VariableTable<>();
    private final AtomicInteger sourceReads = new AtomicInteger();

    MapVariableTest() {
        table.define("in", ctx -> {
            sourceReads.incrementAndGet();
            return ctx.input;
        });
    }

    private MapVariable.Builder<FakeContext> map(String source) {
        return new MapVariable.Builder<>(value(source));
    }

    private ComplexValue<FakeContext> value(String text) {
        return ComplexValue.compile(text, table, "test");
    }

    private Regex<FakeContext> regex(String text, boolean caseless) {
        return Regex.compile(text, caseless, table);
    }

    /** Defines {@code $out} from the map and returns a reader of {@code $out}. */
    private ComplexValue<FakeContext> define(MapVariable.Builder<FakeContext> b) {
        MapVariable<FakeContext> m = b.build();
        table.defineComputed("out", m, !m.isVolatile());
        ComplexValue<FakeContext> out = value("$out");
        assertThat(table.seal()).isNull();
        return out;
    }

    private static String read(ComplexValue<FakeContext> out, String input) {
        return out.evaluate(new FakeContext(input));
    }

    @Test
    void exactKeysIgnoreCaseAndValuesMayUseVariables() {
        MapVariable.Builder<FakeContext> b = map("$in");
        b.key("Example.com", value("exact:$in"));
        b.defaultValue(value("other"));
        ComplexValue<FakeContext> out = define(b);
        assertThat(read(out, "EXAMPLE.COM")).isEqualTo("exact:EXAMPLE.COM");
        assertThat(read(out, "example.org")).isEqualTo("other");
    }

    @Test
    void withoutADefaultAMissIsEmpty() {
        MapVariable.Builder<FakeContext> b = map("$in");
        b.key("a", value("1"));
        ComplexValue<FakeContext> out = define(b);
        FakeContext ctx = new FakeContext("b");
        assertThat(out.evaluate(ctx)).isEmpty();
        assertThat(ctx.warnings()).isEmpty();
    }

    @Test
    void regexesComeAfterExactKeysAndAreTriedInConfigOrder() {
        MapVariable.Builder<FakeContext> b = map("$in");
        b.regex(regex("^a", false), value("first"));
        b.regex(regex("^ab", false), value("second"));
        b.key("abc", value("exact"));
        ComplexValue<FakeContext> out = define(b);
        assertThat(read(out, "abc")).isEqualTo("exact");
        assertThat(read(out, "abd")).isEqualTo("first");
        assertThat(read(out, "xab")).isEmpty();
    }

    @Test
    void aRegexValueUsesTheMatchsCaptures() {
        MapVariable.Builder<FakeContext> b = map("$in");
        b.regex(regex("^(\\w+)\\.(?<zone>\\w+)\\.example\\.com$", false), value("backend-$1-$zone"));
        ComplexValue<FakeContext> out = define(b);
        assertThat(read(out, "www.eu.example.com")).isEqualTo("backend-www-eu");
    }

    @Test
    void aRegexKeyWithoutGroupsLeavesEarlierCapturesAsNginxDoes() {
        MapVariable.Builder<FakeContext> b = map("$in");
        b.regex(regex("^www\\.", false), value("kept:$1"));
        ComplexValue<FakeContext> out = define(b);
        FakeContext ctx = new FakeContext("www.example.com");
        assertThat(regex("^/(\\w+)/", false).matches(ctx, "/earlier/x")).isTrue();
        assertThat(out.evaluate(ctx)).isEqualTo("kept:earlier");
    }

    @Test
    void tildeStarIsCaseless() {
        MapVariable.Builder<FakeContext> b = map("$in");
        b.regex(regex("^ABC", false), value("sensitive"));
        b.regex(regex("^ABC", true), value("caseless"));
        ComplexValue<FakeContext> out = define(b);
        assertThat(read(out, "ABCD")).isEqualTo("sensitive");
        assertThat(read(out, "abcd")).isEqualTo("caseless");
    }

    @Test
    void anEmptySourceSkipsTheRegexesButFindsAnEmptyKey() {
        MapVariable.Builder<FakeContext> b = map("$in");
        b.regex(regex(".*", false), value("regex"));
        b.defaultValue(value("default"));
        ComplexValue<FakeContext> out = define(b);
        assertThat(read(out, "")).isEqualTo("default");

        MapVariable.Builder<FakeContext> withEmptyKey = map("$in");
        withEmptyKey.key("", value("empty"));
        MapVariable<FakeContext> m = withEmptyKey.build();
        assertThat(m.get(new FakeContext(""))).isEqualTo("empty");
    }

    @Test
    void hostnamesDropsOneTrailingDotOfTheSource() {
        MapVariable.Builder<FakeContext> b = map("$in");
        b.hostnames();
        b.key("*.example.com", value("wild"));
        b.defaultValue(value("none"));
        MapVariable<FakeContext> m = b.build();
        assertThat(m.get(new FakeContext("www.Example.com."))).isEqualTo("wild");
        assertThat(m.get(new FakeContext("www.example.com.."))).isEqualTo("none");

        MapVariable.Builder<FakeContext> plain = map("$in");
        plain.key("example.com", value("exact"));
        assertThat(plain.build().get(new FakeContext("example.com."))).isEmpty();
    }

    @Test
    void theValueIsComputedOncePerRequest() {
        MapVariable.Builder<FakeContext> b = map("$in");
        b.key("a", value("1"));
        ComplexValue<FakeContext> out = define(b);
        FakeContext ctx = new FakeContext("a");
        assertThat(out.evaluate(ctx)).isEqualTo("1");
        ctx.input = "b";
        assertThat(out.evaluate(ctx)).isEqualTo("1");
        assertThat(sourceReads).hasValue(1);
        // another request computes its own
        assertThat(read(out, "b")).isEmpty();
        assertThat(sourceReads).hasValue(2);
    }

    @Test
    void aVolatileMapIsComputedOnEveryRead() {
        MapVariable.Builder<FakeContext> b = map("$in");
        b.makeVolatile();
        b.key("a", value("1"));
        ComplexValue<FakeContext> out = define(b);
        FakeContext ctx = new FakeContext("a");
        assertThat(out.evaluate(ctx)).isEqualTo("1");
        ctx.input = "b";
        assertThat(out.evaluate(ctx)).isEmpty();
        assertThat(sourceReads).hasValue(2);
    }

    @Test
    void setOverridesTheMapsValueAndValuesCompiledEarlierSeeTheMap() {
        // compiled before the map exists, as a server's "set" may come before an http-level map in a later file
        Setter<FakeContext> set = table.setterFor("out");
        ComplexValue<FakeContext> early = value("[$out]");
        MapVariable.Builder<FakeContext> b = map("$in");
        b.defaultValue(value("mapped"));
        ComplexValue<FakeContext> out = define(b);
        FakeContext ctx = new FakeContext("x");
        assertThat(early.evaluate(ctx)).isEqualTo("[mapped]");
        set.set(ctx, "assigned");
        assertThat(out.evaluate(ctx)).isEqualTo("assigned");
    }

    @Test
    void aValueMayUseAVariableDefinedLater() {
        MapVariable.Builder<FakeContext> b = map("$in");
        b.defaultValue(value("<$later>"));
        MapVariable<FakeContext> m = b.build();
        table.defineComputed("out", m, true);
        table.define("later", ctx -> "defined after");
        assertThat(table.seal()).isNull();
        assertThat(m.get(new FakeContext("x"))).isEqualTo("<defined after>");
    }

    @Test
    void aMapThatNeedsItselfIsACycleNotARecursion() {
        MapVariable.Builder<FakeContext> b = map("$out");
        b.defaultValue(value("x$out"));
        ComplexValue<FakeContext> out = define(b);
        FakeContext ctx = new FakeContext("");
        assertThat(out.evaluate(ctx)).isEqualTo("x");
        assertThat(ctx.warnings()).contains("cycle while evaluating variable \"out\"");
    }
}
