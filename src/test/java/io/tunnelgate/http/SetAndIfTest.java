package io.tunnelgate.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelgate.testsupport.RawClient;
import io.tunnelgate.testsupport.TestProxy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The rewrite module's {@code set} and {@code if} on GET requests: user variables (with {@code $x}
 * and {@code ${x}} in values), the warn line for a variable read before any {@code set} gave it a
 * value (and {@code uninitialized_variable_warn off}), every condition of {@code if}, regex captures
 * {@code $1} and named captures after a match, nested {@code if}, and the file tests on real files.
 */
class SetAndIfTest {
    private static final String CONFIG = """
            http {
                log_format t '"$request" $status [$never_set]';
                access_log ${DIR}/access.log t;
                error_log ${DIR}/error.log info;
                server {
                    listen 127.0.0.1:${PORT};
                    server_name if.test;
                    proxy_connect;

                    set $greeting "hello";
                    set $combined "${greeting}world";
                    if ($arg_never = "never sent") {
                        set $never_set "set";
                    }

                    location /set {
                        set $x "$greeting $arg_name";
                        set $x "[$x]";
                        return 200 "x=$x combined=$combined";
                    }
                    location /setargs {
                        set $args "a=1&b=2";
                        return 200 "$args,$arg_b,$is_args,$request_uri";
                    }
                    location /emptycmp {
                        if ($arg_v = "") { return 200 "empty"; }
                        return 200 "not empty";
                    }
                    location /uninit { return 200 "u=[$never_set]"; }
                    location /quiet {
                        uninitialized_variable_warn off;
                        return 200 "u=[$never_set]";
                    }
                    location /truthy {
                        if ($arg_v) { return 200 "true"; }
                        return 200 "false";
                    }
                    location /eq {
                        if ($arg_v = "a b") { return 200 "equal"; }
                        if ($arg_v != $greeting) { return 200 "not hello"; }
                        return 200 "hello";
                    }
                    location /re {
                        if ($arg_v ~ ^([a-z]+)-([0-9]+)$) { return 200 "match $1 $2"; }
                        return 200 "no match";
                    }
                    location /rei {
                        if ($arg_v ~* ^ABC([0-9])$) { return 200 "match $1"; }
                        return 200 "no match";
                    }
                    location /nre {
                        if ($arg_v !~ ^abc) { return 200 "true"; }
                        return 200 "false";
                    }
                    location /nrei {
                        if ($arg_v !~* ^abc) { return 200 "true"; }
                        return 200 "false";
                    }
                    location /after {
                        if ($arg_v ~ ^([0-9]+)x) { }
                        return 200 "one=$1";
                    }
                    location /named {
                        if ($arg_v ~ ^(?<user>[a-z]+)@(?P<domain>[a-z.]+)$) {
                            set $who "$user at $domain";
                        }
                        return 200 "who=$who";
                    }
                    location /nested {
                        if ($arg_a) {
                            if ($arg_b) { return 200 "both"; }
                            return 200 "a only";
                        }
                        return 200 "neither";
                    }
                    location /file {
                        set $path "${DIR}/files/$arg_n";
                        if (-f $path) { return 200 "-f"; }
                        return 200 "not -f";
                    }
                    location /notfile {
                        if (!-f ${DIR}/files/$arg_n) { return 200 "!-f"; }
                        return 200 "not !-f";
                    }
                    location /dir {
                        if (-d ${DIR}/files/$arg_n) { return 200 "-d"; }
                        return 200 "not -d";
                    }
                    location /notdir {
                        if (!-d ${DIR}/files/$arg_n) { return 200 "!-d"; }
                        return 200 "not !-d";
                    }
                    location /exists {
                        if (-e ${DIR}/files/$arg_n) { return 200 "-e"; }
                        return 200 "not -e";
                    }
                    location /notexists {
                        if (!-e ${DIR}/files/$arg_n) { return 200 "!-e"; }
                        return 200 "not !-e";
                    }
                    location /exec {
                        if (-x ${DIR}/files/$arg_n) { return 200 "-x"; }
                        return 200 "not -x";
                    }
                    location /notexec {
                        if (!-x ${DIR}/files/$arg_n) { return 200 "!-x"; }
                        return 200 "not !-x";
                    }
                    location /twofiles {
                        if (-f ${DIR}/files/plain) {
                            if (-d ${DIR}/files/dir) { return 200 "file and dir"; }
                        }
                        return 200 "no";
                    }
                }
            }
            """;

    @TempDir
    static Path dir;
    private static TestProxy proxy;

    @BeforeAll
    static void start() throws IOException {
        Path files = Files.createDirectories(dir.resolve("files"));
        Files.writeString(files.resolve("plain"), "x");
        Files.setPosixFilePermissions(files.resolve("plain"), PosixFilePermissions.fromString("rw-r--r--"));
        Files.writeString(files.resolve("script"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(files.resolve("script"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createDirectories(files.resolve("dir"));
        Files.createSymbolicLink(files.resolve("link"), files.resolve("plain"));
        Files.createSymbolicLink(files.resolve("dangling"), files.resolve("missing"));
        proxy = TestProxy.start(dir, CONFIG);
    }

    @AfterAll
    static void stop() {
        proxy.close();
    }

    @Test
    void setStoresValuesBuiltFromVariables() throws Exception {
        assertThat(body("/set?name=bob")).isEqualTo("x=[hello bob] combined=helloworld");
    }

    @Test
    void aVariableNeverSetReadsEmptyWithAWarning() throws Exception {
        Logs logs = Logs.mark(proxy);
        assertThat(body("/uninit")).isEqualTo("u=[]");
        // logged as empty (found), not "-"; the log format's read warns too
        assertThat(logs.newAccessLines()).containsExactly("\"GET /uninit HTTP/1.1\" 200 []");
        List<String> warnings = logs.newErrorLines();
        assertThat(warnings).isNotEmpty().allSatisfy(l -> assertThat(l).matches(
                "\\d{4}/\\d\\d/\\d\\d \\d\\d:\\d\\d:\\d\\d \\[warn\\] \\d+#\\d+: \\*\\d+ using uninitialized"
                        + " \"never_set\" variable, client: 127\\.0\\.0\\.1, server: if\\.test, request: \"GET"
                        + " /uninit HTTP/1\\.1\", host: \"if\\.test\""));
    }

    @Test
    void uninitializedVariableWarnOffSilencesTheWarning() throws Exception {
        Logs logs = Logs.mark(proxy);
        assertThat(body("/quiet")).isEqualTo("u=[]");
        assertThat(logs.newErrorLines()).isEmpty();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "/truthy?v=a          | true",
        "/truthy?v=00         | true",
        "/truthy?v=0          | false",
        "/truthy?v=           | false",
        "/truthy              | false",
        // $arg_v is "a%20b" as sent, not decoded: it is not "a b"
        "/eq?v=a%20b          | not hello",
        "/eq?v=hello          | hello",
        "/eq?v=Hello          | not hello",
        "/re?v=abc-42         | match abc 42",
        "/re?v=ABC-42         | no match",
        "/rei?v=abc7          | match 7",
        "/rei?v=abcd          | no match",
        "/nre?v=xabc          | true",
        "/nre?v=abcx          | false",
        "/nre?v=ABCx          | true",
        "/nrei?v=ABCx         | false",
        "/nrei?v=xyz          | true",
        "/after?v=123xyz      | one=123",
        "/named?v=bob@example.org | who=bob at example.org",
        "/setargs?x=9         | a=1&b=2,2,?,/setargs?x=9",
        "/emptycmp            | empty",
        "/emptycmp?v=         | empty",
        "/emptycmp?v=1        | not empty",
        "/nested?a=1&b=1      | both",
        "/nested?a=1          | a only",
        "/nested?b=1          | neither",
    })
    void conditions(String uri, String expected) throws Exception {
        assertThat(body(uri)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({
        // what nginx's stat-based tests give: links followed, -x the owner's execute bit
        "file,      plain,    -f",
        "file,      link,     -f",
        "file,      dir,      not -f",
        "file,      missing,  not -f",
        "notfile,   plain,    not !-f",
        "notfile,   dir,      !-f",
        "notfile,   missing,  !-f",
        "dir,       dir,      -d",
        "dir,       plain,    not -d",
        "dir,       missing,  not -d",
        "notdir,    dir,      not !-d",
        "notdir,    plain,    !-d",
        "notdir,    missing,  !-d",
        "exists,    plain,    -e",
        "exists,    dir,      -e",
        "exists,    link,     -e",
        "exists,    dangling, not -e",
        "exists,    missing,  not -e",
        "notexists, plain,    not !-e",
        "notexists, missing,  !-e",
        "notexists, dangling, !-e",
        "exec,      script,   -x",
        "exec,      dir,      -x",
        "exec,      plain,    not -x",
        "exec,      missing,  not -x",
        "notexec,   script,   not !-x",
        "notexec,   plain,    !-x",
        "notexec,   missing,  !-x",
    })
    void fileTests(String location, String name, String expected) throws Exception {
        assertThat(body("/" + location + "?n=" + name)).isEqualTo(expected);
    }

    @Test
    void fileTestsNestAndLeaveTheConnectionInStep() throws Exception {
        Logs logs = Logs.mark(proxy);
        try (RawClient client = RawClient.connect(proxy.address())) {
            for (int i = 0; i < 3; i++) {
                client.send("GET /twofiles HTTP/1.1\r\nHost: if.test\r\n\r\n");
                assertThat(Reply.read(client).body()).isEqualTo("file and dir");
            }
        }
        logs.accessLines(3);
    }

    /**
     * The body of a 200 answer to a GET. Its access-log line is awaited, so that no line of it can
     * turn up among the next test's.
     */
    private static String body(String uri) throws Exception {
        Logs logs = Logs.mark(proxy);
        try (RawClient client = RawClient.connect(proxy.address())) {
            client.send("GET " + uri + " HTTP/1.1\r\nHost: if.test\r\n\r\n");
            Reply reply = Reply.read(client);
            assertThat(reply.status()).isEqualTo(200);
            logs.accessLines(1);
            return reply.body();
        }
    }
}
