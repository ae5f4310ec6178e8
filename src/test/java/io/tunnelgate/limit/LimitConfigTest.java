package io.tunnelgate.limit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tunnelgate.config.ConfigException;
import io.tunnelgate.http.LevelConf;
import io.tunnelgate.http.PreAccess;
import io.tunnelgate.http.ServerConf;
import io.tunnelgate.log.LogLevel;
import io.tunnelgate.server.ProxyConfig;
import io.tunnelgate.testsupport.ConfigLoads;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The limit directives' checks and messages (nginx's, at the directive's file:line), and inheritance. */
class LimitConfigTest {
    private static final String ZONES = """
            http {
                limit_req_zone $binary_remote_addr zone=one:1m rate=10r/s;
                limit_conn_zone $binary_remote_addr zone=addr:1m;
            """;

    @TempDir
    Path dir;

    @RegisterExtension
    final ConfigLoads configs = new ConfigLoads();

    private ProxyConfig load(String text) throws ConfigException {
        return configs.load(text, dir);
    }

    /** Loads {@code http { <lines> }} (after the zone lines) and returns the error, which must be at {@code line}. */
    private String error(String lines, int line) {
        String text = ZONES + lines + "\n}\n";
        ConfigException e = (ConfigException) org.assertj.core.api.Assertions.catchThrowable(() -> load(text));
        assertThat(e).as("loading should fail:\n" + text).isNotNull();
        assertThat(e.pos()).isNotNull();
        assertThat(e.pos().line()).as(e.getMessage()).isEqualTo(line);
        assertThat(e.getMessage()).endsWith("t.conf:" + line);
        return e.reason();
    }

    @Test
    void aZoneUsedButNeverDefinedIsReportedWhereItWasFirstUsed() {
        assertThat(error("    server {\n        limit_req zone=nosuch burst=5;\n    }", 5))
                .isEqualTo("unknown limit_req_zone \"nosuch\"");
        assertThat(error("    limit_conn nosuch 1;", 4)).isEqualTo("unknown limit_conn_zone \"nosuch\"");
    }

    @Test
    void aZoneMayBeDefinedAfterItsUse() throws Exception {
        ProxyConfig c = load("http {\n    server {\n        listen 127.0.0.1:8080;\n        limit_req zone=late;\n"
                + "    }\n    limit_req_zone $binary_remote_addr zone=late:64k rate=1r/s;\n}\n");
        assertThat(limits(c.http().servers().get(0).level()).req().limits()).singleElement()
                .satisfies(l -> assertThat(l.zone().name()).isEqualTo("late"));
    }

    @Test
    void zoneSizesAreCheckedAsNginxChecksThem() {
        assertThat(error("    limit_req_zone $binary_remote_addr zone=small:16k rate=1r/s;", 4))
                .isEqualTo("zone \"zone=small:16k\" is too small");
        assertThat(error("    limit_conn_zone $binary_remote_addr zone=small:32767;", 4))
                .isEqualTo("zone \"zone=small:32767\" is too small");
        assertThat(error("    limit_conn_zone $binary_remote_addr zone=nosize;", 4))
                .isEqualTo("invalid zone size \"zone=nosize\"");
        assertThat(error("    limit_req_zone $binary_remote_addr zone=big:1g rate=1r/s;", 4))
                .isEqualTo("invalid zone size \"zone=big:1g\"");
        assertThat(error("    limit_req_zone $binary_remote_addr rate=1r/s rate=2r/s;", 4))
                .isEqualTo("\"limit_req_zone\" must have \"zone\" parameter");
    }

    @Test
    void badRatesAreRefused() {
        assertThat(error("    limit_req_zone $binary_remote_addr zone=r:1m rate=0r/s;", 4))
                .isEqualTo("invalid rate \"rate=0r/s\"");
        assertThat(error("    limit_req_zone $binary_remote_addr zone=r:1m rate=fast;", 4))
                .isEqualTo("invalid rate \"rate=fast\"");
        assertThat(error("    limit_req_zone $binary_remote_addr zone=r:1m rate=1r/h;", 4))
                .isEqualTo("invalid rate \"rate=1r/h\"");
        assertThat(error("    limit_req_zone $binary_remote_addr zone=r:1m limit=1r/s;", 4))
                .isEqualTo("invalid parameter \"limit=1r/s\"");
        // NGINX Plus's zone synchronisation: refused, as open-source nginx refuses it
        assertThat(error("    limit_req_zone $binary_remote_addr zone=r:1m rate=1r/s sync;", 4))
                .isEqualTo("invalid number of arguments in \"limit_req_zone\" directive");
    }

    @Test
    void aZoneIsDefinedOnceAndForOneUse() {
        assertThat(error("    limit_req_zone $remote_addr zone=one:1m rate=1r/s;", 4))
                .isEqualTo("limit_req_zone \"one\" is already bound to key \"$binary_remote_addr\"");
        assertThat(error("    limit_req_zone $binary_remote_addr zone=one:2m rate=10r/s;", 4))
                .isEqualTo("the size 2097152 of shared memory zone \"one\" conflicts with already declared size 1048576");
        assertThat(error("    limit_conn_zone $binary_remote_addr zone=one:1m;", 4))
                .isEqualTo("the shared memory zone \"one\" is already declared for a different use");
        assertThat(error("    limit_conn one 1;", 4))
                .isEqualTo("the shared memory zone \"one\" is already declared for a different use");
    }

    @Test
    void limitDirectivesCheckTheirParameters() {
        assertThat(error("    limit_conn addr 1;\n    limit_conn addr 2;", 5)).isEqualTo("\"limit_conn\" directive is duplicate");
        assertThat(error("    limit_req zone=one;\n    limit_req zone=one burst=2;", 5))
                .isEqualTo("\"limit_req\" directive is duplicate");
        assertThat(error("    limit_conn addr 0;", 4)).isEqualTo("invalid number of connections \"0\"");
        assertThat(error("    limit_conn addr 65536;", 4)).isEqualTo("connection limit must be less 65536");
        assertThat(error("    limit_req zone=one burst=0;", 4)).isEqualTo("invalid burst value \"burst=0\"");
        assertThat(error("    limit_req zone=one delay=x;", 4)).isEqualTo("invalid delay value \"delay=x\"");
        assertThat(error("    limit_req burst=5;", 4)).isEqualTo("\"limit_req\" must have \"zone\" parameter");
        assertThat(error("    limit_req zone=one fast;", 4)).isEqualTo("invalid parameter \"fast\"");
        assertThat(error("    limit_req_status 399;", 4)).isEqualTo("value must be between 400 and 599");
        assertThat(error("    limit_conn_status x;", 4)).isEqualTo("\"limit_conn_status\" directive invalid number");
        assertThat(error("    limit_conn_log_level debug;", 4)).isEqualTo("invalid value \"debug\"");
        assertThat(error("    limit_req_dry_run maybe;", 4))
                .isEqualTo("invalid value \"maybe\" in \"limit_req_dry_run\" directive, it must be \"on\" or \"off\"");
        assertThat(error("    server {\n        limit_req_zone $binary_remote_addr zone=s:1m rate=1r/s;\n    }", 5))
                .contains("\"limit_req_zone\" directive is not allowed here");
    }

    @Test
    void limitsAreInheritedOnlyByLevelsWithoutTheirOwnAndSettingsSeparately() throws Exception {
        ProxyConfig c = load(ZONES + """
                    limit_req zone=one burst=5;
                    limit_req_status 429;
                    limit_req_log_level notice;
                    server {
                        listen 127.0.0.1:8080;
                        server_name inherits;
                        limit_conn addr 3;
                        location /own/ {
                            limit_req zone=one nodelay;
                        }
                    }
                    server {
                        listen 127.0.0.1:8080;
                        server_name none;
                        limit_req_dry_run on;
                        location /x/ {
                        }
                    }
                }
                """);
        ServerConf inherits = server(c, "inherits");
        Limits l = limits(inherits.level());
        assertThat(l.req().limits()).singleElement().satisfies(r -> {
            assertThat(r.burst()).isEqualTo(5000);
            assertThat(r.delay()).isZero();
        });
        assertThat(l.req().status()).isEqualTo(429);
        assertThat(l.req().logLevel()).isEqualTo(LogLevel.NOTICE);
        assertThat(l.conn().limits()).singleElement().satisfies(r -> assertThat(r.conn()).isEqualTo(3));
        assertThat(l.conn().status()).isEqualTo(503);

        Limits own = limits(inherits.locations().list().stream().filter(x -> x.pattern().equals("/own/"))
                .findFirst().orElseThrow().level());
        assertThat(own.req().limits()).singleElement().satisfies(r -> {
            assertThat(r.burst()).isZero();
            assertThat(r.delay()).isEqualTo(ReqLimiter.Limit.NO_DELAY);
        });
        assertThat(own.conn().limits()).as("limit_conn is inherited separately").hasSize(1);

        Limits none = limits(server(c, "none").level());
        assertThat(none.conn()).isNull();
        assertThat(none.req().dryRun()).isTrue();
    }

    @Test
    void levelsWithoutLimitsHaveNoPhaseWork() throws Exception {
        ProxyConfig c = load("http {\n    limit_req_zone $binary_remote_addr zone=unused:1m rate=1r/s;\n"
                + "    server {\n        listen 127.0.0.1:8080;\n    }\n}\n");
        assertThat(c.http().servers().get(0).level().preAccess()).isSameAs(PreAccess.NONE);
    }

    private static Limits limits(LevelConf level) {
        assertThat(level.preAccess()).isInstanceOf(Limits.class);
        return (Limits) level.preAccess();
    }

    private static ServerConf server(ProxyConfig c, String name) {
        return c.http().servers().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }
}
