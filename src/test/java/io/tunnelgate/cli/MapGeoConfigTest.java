package io.tunnelgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelgate.testsupport.TestFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code tunnelgate -t} on {@code map} and {@code geo} blocks: the map and geo modules' errors and
 * warnings with nginx's wording and the {@code file:line} of the offending line (the line marked
 * {@value #MARK}), and the forms nginx accepts.
 */
class MapGeoConfigTest {
    private static final String MARK = "#<";

    @TempDir
    Path dir;

    /** {@code body} at http level, next to a proxy_connect server. */
    private static String http(String body) {
        return "http {\n    " + body.replace("\n", "\n    ")
                + "\n    server {\n        listen 127.0.0.1:3128;\n        proxy_connect;\n    }\n}\n";
    }

    private static int markedLine(String text) {
        List<String> lines = text.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(MARK)) {
                return i + 1;
            }
        }
        throw new IllegalArgumentException("no " + MARK + " in config:\n" + text);
    }

    private static ConfigTestFlagTest.Outcome test(Path config) {
        return ConfigTestFlagTest.run("-t", "-c", config.toString());
    }

    private static void assertFailure(ConfigTestFlagTest.Outcome o, Path main, Path where, int line, String message) {
        assertThat(o.errLines()).containsExactly(
                "tunnelgate: [emerg] " + message + " in " + where + ":" + line,
                "tunnelgate: configuration file " + main + " test failed");
        assertThat(o.code()).isEqualTo(1);
    }

    private static void assertSuccess(ConfigTestFlagTest.Outcome o, Path config, String... warnings) {
        List<String> expected = new ArrayList<>();
        for (String w : warnings) {
            expected.add("tunnelgate: [warn] " + w);
        }
        expected.add("tunnelgate: the configuration file " + config + " syntax is ok");
        expected.add("tunnelgate: configuration file " + config + " test is successful");
        assertThat(o.errLines()).containsExactlyElementsOf(expected);
        assertThat(o.code()).isZero();
    }

    static Stream<Arguments> mapErrors() {
        return Stream.of(
                Arguments.of(http("map $host { " + MARK + "\n}"), "invalid number of arguments in \"map\" directive"),
                Arguments.of(http("map $host $a $b { " + MARK + "\n}"),
                        "invalid number of arguments in \"map\" directive"),
                Arguments.of(http("map $host $a; " + MARK), "directive \"map\" has no opening \"{\""),
                Arguments.of("http {\n    server {\n        listen 127.0.0.1:3128;\n        map $host $a { "
                        + MARK + "\n        }\n    }\n}\n", "\"map\" directive is not allowed here"),
                Arguments.of(http("map $host a { " + MARK + "\n}"), "invalid variable name \"a\""),
                Arguments.of(http("map $host $ { " + MARK + "\n}"), "invalid variable name \"$\""),
                Arguments.of(http("map $host $host { " + MARK + "\n}"), "the duplicate \"host\" variable"),
                Arguments.of(http("map $host $a {\n    example.com 1 2; " + MARK + "\n}"),
                        "invalid number of the map parameters"),
                Arguments.of(http("map $host $a {\n    lonely; " + MARK + "\n}"),
                        "invalid number of the map parameters"),
                Arguments.of(http("map $host $a {\n    default 1;\n    default 2; " + MARK + "\n}"),
                        "duplicate default map parameter"),
                Arguments.of(http("map $host $a {\n    Example.com 1;\n    example.COM 2; " + MARK + "\n}"),
                        "conflicting parameter \"example.com\""),
                Arguments.of(http("map $host $a {\n    hostnames;\n    .example.com 1;\n    example.com 2; "
                        + MARK + "\n}"), "conflicting parameter \"example.com\""),
                Arguments.of(http("map $host $a {\n    hostnames;\n    www.*.com 1; " + MARK + "\n}"),
                        "invalid hostname or wildcard \"www.*.com\""),
                Arguments.of(http("map $host $a {\n    ~^(abc 1; " + MARK + "\n}"),
                        "invalid regex \"^(abc\": Unclosed group"),
                Arguments.of(http("map $host $a {\n    example.com \"x$\"; " + MARK + "\n}"),
                        "invalid variable name"),
                Arguments.of(http("map $host $a {\n    example.com { " + MARK + "\n    }\n}"),
                        "unexpected \"{\""),
                Arguments.of(http("map $nosuch $a { " + MARK + "\n}"), "unknown \"nosuch\" variable"),
                Arguments.of(http("map $host $a {\n    default $nosuch; " + MARK + "\n}"),
                        "unknown \"nosuch\" variable"),
                Arguments.of(http("map_hash_max_size big; " + MARK), "\"map_hash_max_size\" directive invalid number"),
                Arguments.of(http("map_hash_bucket_size 64;\nmap_hash_bucket_size 128; " + MARK),
                        "\"map_hash_bucket_size\" directive is duplicate"));
    }

    @ParameterizedTest
    @MethodSource("mapErrors")
    void mapErrorsNameTheFileAndLine(String config, String message) {
        Path file = TestFiles.config(dir, config);
        assertFailure(test(file), file, file, markedLine(config), message);
    }

    static Stream<Arguments> geoErrors() {
        return Stream.of(
                Arguments.of(http("geo $a $b $c { " + MARK + "\n}"), "invalid number of arguments in \"geo\" directive"),
                Arguments.of(http("geo a { " + MARK + "\n}"), "invalid variable name \"a\""),
                Arguments.of(http("geo $remote_addr b { " + MARK + "\n}"), "invalid variable name \"b\""),
                Arguments.of(http("geo $remote_addr { " + MARK + "\n}"), "the duplicate \"remote_addr\" variable"),
                Arguments.of(http("geo $nosuch $g { " + MARK + "\n}"), "unknown \"nosuch\" variable"),
                Arguments.of(http("geo $g {\n    10.0.0.0/33 x; " + MARK + "\n}"), "invalid network \"10.0.0.0/33\""),
                Arguments.of(http("geo $g {\n    delete nonsense; " + MARK + "\n}"), "invalid network \"nonsense\""),
                Arguments.of(http("geo $g {\n    10.0.0.0/8 a b; " + MARK + "\n}"),
                        "invalid number of the geo parameters"),
                Arguments.of(http("geo $g {\n    volatile; " + MARK + "\n}"), "invalid number of the geo parameters"),
                Arguments.of(http("geo $g {\n    default x;\n    ranges; " + MARK + "\n}"),
                        "the \"ranges\" directive must be the first directive inside \"geo\" block"),
                Arguments.of(http("geo $g {\n    ranges;\n    10.0.0.0/8 x; " + MARK + "\n}"),
                        "invalid range \"10.0.0.0/8\""),
                Arguments.of(http("geo $g {\n    ranges;\n    10.0.0.0-10.0.0.9 a;\n    10.0.0.5-10.0.0.20 b; "
                        + MARK + "\n}"), "range \"10.0.0.5-10.0.0.20\" overlaps \"10.0.0.0-10.0.0.9\""),
                Arguments.of(http("geo $g {\n    proxy 10.0.0.256; " + MARK + "\n}"), "invalid network \"10.0.0.256\""),
                Arguments.of(http("geo $g {\n    10.0.0.0/8 { " + MARK + "\n    }\n}"), "unexpected \"{\""));
    }

    @ParameterizedTest
    @MethodSource("geoErrors")
    void geoErrorsNameTheFileAndLine(String config, String message) {
        Path file = TestFiles.config(dir, config);
        assertFailure(test(file), file, file, markedLine(config), message);
    }

    @Test
    void anErrorInAFileIncludedInAMapNamesThatFile() {
        String included = "example.com 1;\nexample.org 1 2; " + MARK + "\n";
        Path inc = TestFiles.write(dir, "hosts.map", included);
        Path main = TestFiles.config(dir, http("map $host $a {\n    include hosts.map;\n}"));
        assertFailure(test(main), main, inc, markedLine(included), "invalid number of the map parameters");
    }

    @Test
    void theModuleReadmesAllowListAndOtherMapFormsLoad() {
        TestFiles.write(dir, "more.map", "*.example.net 0;\n");
        String config = """
                http {
                    map_hash_bucket_size 128;
                    map_hash_max_size 4096;
                    map $connect_host $deny {
                        hostnames;
                        default 1;
                        example.com 0;
                        *.example.org 0;
                        include more.map;
                    }
                    map $host $backend {
                        volatile;
                        ~^(?<sub>[a-z]+)\\.example\\.com$ $sub.internal;
                        ~*^API\\. api;
                        \\~literal tilde;
                        "" empty;
                        default $http_host;
                    }
                    server {
                        listen 127.0.0.1:3128;
                        proxy_connect;
                        if ($deny) {
                            return 403;
                        }
                        set $proxy_connect_connect_timeout $backend;
                    }
                }
                """;
        Path file = TestFiles.config(dir, config);
        assertSuccess(test(file), file);
    }

    @Test
    void geoWarningsAreNginxsAndNameTheLine() {
        String config = http("""
                geo $arg_ip $g {
                    proxy 10.0.0.0/8;
                    proxy_recursive;
                    default other;
                    10.0.0.1/8 ten; #w1
                    10.0.0.0/8 again; #w2
                    2001:db8::/32 doc;
                    delete 10.9.0.0/16; #w3
                }
                geo $r {
                    ranges;
                    default d;
                    127.0.0.0-127.0.0.255 lo;
                    127.0.0.0-127.0.0.255 lo2; #w4
                    delete 10.0.0.0-10.0.0.1; #w5
                }""");
        Path file = TestFiles.config(dir, config);
        List<String> lines = config.lines().toList();
        Function<String, String> at = tag -> file + ":" + (lines.indexOf(lines.stream()
                .filter(l -> l.contains(tag)).findFirst().orElseThrow()) + 1);
        assertSuccess(test(file), file,
                "low address bits of 10.0.0.1/8 are meaningless in " + at.apply("#w1"),
                "duplicate network \"10.0.0.0/8\", value: \"again\", old value: \"ten\" in " + at.apply("#w2"),
                "no network \"10.9.0.0/16\" to delete in " + at.apply("#w3"),
                "duplicate range \"127.0.0.0-127.0.0.255\", value: \"lo2\", old value: \"lo\" in " + at.apply("#w4"),
                "no address range \"10.0.0.0-10.0.0.1\" to delete in " + at.apply("#w5"));
    }
}
