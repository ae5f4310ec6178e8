package io.tunnelgate.script;

import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelgate.script.MapKeys.Added;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** nginx's map key matching: exact keys in lower case, then hostnames wildcards in nginx's order. */
class MapKeysTest {
    private final MapKeys.Builder<String> keys = new MapKeys.Builder<>();

    private MapKeys<String> hostnames(String... keyValues) {
        for (int i = 0; i < keyValues.length; i += 2) {
            assertThat(keys.add(keyValues[i], keyValues[i + 1], true)).as(keyValues[i]).isEqualTo(Added.OK);
        }
        return keys.build();
    }

    @Test
    void exactKeysMatchWhateverTheirCase() {
        keys.add("Example.COM", "1", false);
        MapKeys<String> m = keys.build();
        assertThat(m.find(MapKeys.lowerCase("EXAMPLE.com"))).isEqualTo("1");
        assertThat(m.find("example.com")).isEqualTo("1");
        assertThat(m.find("example.co")).isNull();
    }

    @Test
    void lowerCaseTouchesOnlyAsciiLettersAndReturnsTheSameStringWhenThereAreNone() {
        String lower = "already-lower.example";
        assertThat(MapKeys.lowerCase(lower)).isSameAs(lower);
        assertThat(MapKeys.lowerCase("\u00c0Bc")).isEqualTo("\u00c0bc");
    }

    @Test
    void withoutHostnamesAWildcardIsAPlainKey() {
        keys.add("*.example.com", "star", false);
        MapKeys<String> m = keys.build();
        assertThat(m.find("*.example.com")).isEqualTo("star");
        assertThat(m.find("www.example.com")).isNull();
    }

    @Test
    void aStarWildcardMatchesNamesBelowItButNotItself() {
        MapKeys<String> m = hostnames("*.example.org", "org");
        assertThat(m.find("www.example.org")).isEqualTo("org");
        assertThat(m.find("a.b.example.org")).isEqualTo("org");
        assertThat(m.find("example.org")).isNull();
        assertThat(m.find("badexample.org")).isNull();
    }

    @Test
    void aDotWildcardMatchesTheNameItselfToo() {
        MapKeys<String> m = hostnames(".example.net", "net");
        assertThat(m.find("example.net")).isEqualTo("net");
        assertThat(m.find("x.y.example.net")).isEqualTo("net");
        assertThat(m.find("xexample.net")).isNull();
    }

    @Test
    void theLongestLeadingWildcardWins() {
        MapKeys<String> m = hostnames("*.org", "short", "*.example.org", "long", ".b.example.org", "longest");
        assertThat(m.find("a.example.org")).isEqualTo("long");
        assertThat(m.find("a.b.example.org")).isEqualTo("longest");
        assertThat(m.find("b.example.org")).isEqualTo("longest");
        assertThat(m.find("a.other.org")).isEqualTo("short");
    }

    @Test
    void exactBeatsLeadingWhichBeatsTrailing() {
        MapKeys<String> m = hostnames("www.example.*", "tail", "*.example.com", "head", "www.example.com", "exact");
        assertThat(m.find("www.example.com")).isEqualTo("exact");
        assertThat(m.find("ftp.example.com")).isEqualTo("head");
        assertThat(m.find("www.example.org")).isEqualTo("tail");
    }

    @Test
    void theLongestTrailingWildcardWinsAndNeedsSomethingAfterTheDot() {
        MapKeys<String> m = hostnames("www.*", "short", "www.example.*", "long");
        assertThat(m.find("www.example.co.uk")).isEqualTo("long");
        assertThat(m.find("www.other.com")).isEqualTo("short");
        assertThat(m.find("www.example")).isEqualTo("short");
        assertThat(m.find("www")).isNull();
    }

    @Test
    void anEmptyNameMatchesOnlyAnEmptyExactKey() {
        MapKeys<String> m = hostnames("*.x", "star", "", "empty");
        assertThat(m.find("")).isEqualTo("empty");
    }

    @ParameterizedTest
    @ValueSource(strings = {"*", "*.", "www.*.com", "*example.com", "a..b", "*.*.example.com", "example.**"})
    void malformedWildcardsAreInvalidOnlyWithHostnames(String key) {
        assertThat(keys.add(key, "v", true)).isEqualTo(Added.INVALID);
        assertThat(keys.add(key, "v", false)).isEqualTo(Added.OK);
    }

    @Test
    void conflictsFollowNginxsHash() {
        assertThat(keys.add("example.com", "1", true)).isEqualTo(Added.OK);
        assertThat(keys.add("EXAMPLE.com", "2", true)).isEqualTo(Added.CONFLICT);
        // ".example.com" covers example.com itself
        assertThat(keys.add(".example.com", "3", true)).isEqualTo(Added.CONFLICT);
        assertThat(keys.add(".example.org", "4", true)).isEqualTo(Added.OK);
        assertThat(keys.add("example.org", "5", true)).isEqualTo(Added.CONFLICT);
        assertThat(keys.add("*.example.org", "6", true)).isEqualTo(Added.CONFLICT);
        // "*.example.net" does not cover example.net
        assertThat(keys.add("*.example.net", "7", true)).isEqualTo(Added.OK);
        assertThat(keys.add("example.net", "8", true)).isEqualTo(Added.OK);
        assertThat(keys.add("www.example.*", "9", true)).isEqualTo(Added.OK);
        assertThat(keys.add("WWW.example.*", "10", true)).isEqualTo(Added.CONFLICT);
    }
}
