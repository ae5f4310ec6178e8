package io.tunnelgate.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** URI path normalisation for location matching ({@code $uri}), as nginx's complex-URI parser does it. */
class UriPathsTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "/, /",
        "/a/b, /a/b",
        "/index.html, /index.html",
        "/a-b_c~d, /a-b_c~d",
        "/a/b/, /a/b/",
        "/a//b, /a/b",
        "//, /",
        "/a/./b, /a/b",
        "/a/b/., /a/b/",
        "/./, /",
        "/., /",
        "/a/../b, /b",
        "/a/b/.., /a/",
        "/a/b/../.., /",
        "/a/.b/..c, /a/.b/..c",
        "/.../x/..., /.../x/...",
        "/a/b./.c/x, /a/b./.c/x",
        "/%41%62, /Ab",
        "/a%20b, /a b",
        "/a/%2E%2E/b, /b",
        "/caf%C3%A9, /caf\u00c3\u00a9",
    })
    void normalises(String path, String expected) {
        assertThat(UriPaths.normalize(path)).isEqualTo(expected);
    }

    /** Dots inside names (most paths have one) leave the path as it is, without a copy. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/index.html", "/articles/2024/index.html", "/a/.b/..c", "/.well-known/x", "/a/...", "/v1.2/"})
    void keepsAPathWithDotsInNamesAsItIs(String path) {
        assertThat(UriPaths.normalize(path)).isSameAs(path);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/..", "/../a", "/a/../..", "/%2e%2e", "/%2e%2e/x/../y", "/%", "/%4", "/%zz", "/%4g",
        "/%00", "/a%00b"})
    void refusesBadEscapesNulAndClimbingAboveTheRoot(String path) {
        assertThat(UriPaths.normalize(path)).isNull();
    }
}
