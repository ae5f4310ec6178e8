package io.tunnelgate.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.tunnelgate.config.SourcePos;
import io.tunnelgate.http.LocationConf.Match;
import io.tunnelgate.log.ErrorLog;
import io.tunnelgate.log.LogClock;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link Locations} on its own: nginx's auto-redirect (a URI equal to an auto-redirecting
 * location's name without its last slash), which no directive sets yet, and the static tree's
 * choice among many prefixes that extend one another.
 */
class LocationsTest {
    private final EmbeddedChannel channel = new EmbeddedChannel();

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    private static LocationConf location(Match match, String name, boolean autoRedirect) {
        return new LocationConf(match, name, null, autoRedirect, List.of(), AccessConf.NONE, null, null, Locations.NONE,
                new SourcePos(Path.of("t.conf"), 1));
    }

    private Request request(String uri) {
        LevelConf level = new LevelConf(List.of(), ErrorLog.none(new LogClock()), true);
        ServerConf server = new ServerConf(List.of("proxy.test"), List.of(), null, List.of(), AccessConf.NONE, null,
                Locations.NONE, level, null, null, null);
        Services services = new Services(null, null, null, new LogClock(), System::nanoTime, Runnable::run);
        ClientConnection conn = new ClientConnection(1, channel, new VirtualHosts(List.of(server), server), services);
        Request req = new Request(conn, new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri), 0, null,
                server);
        req.internalRedirect(uri, "");
        return req;
    }

    @ParameterizedTest(name = "{0} -> {1} {2}")
    @CsvSource(delimiter = '|', value = {
        "/app   | /app/   | true",
        "/app/  | /app/   | false",
        "/app/x | /app/   | false",
        "/exact | /exact/ | true",
        "/exac  | /       | false",
        "/plain | /       | false",
        "/plain/| /plain/ | false",
        "/      | /       | false",
    })
    void autoRedirectWhenTheUriLacksTheLastSlash(String uri, String chosen, boolean redirect) throws Exception {
        Locations locations = Locations.of(List.of(
                location(Match.PREFIX, "/", false),
                location(Match.PREFIX, "/app/", true),
                location(Match.EXACT, "/exact/", true),
                location(Match.PREFIX, "/plain/", false)));
        Request req = request(uri);
        assertThat(locations.find(req)).isEqualTo(redirect);
        assertThat(req.location().pattern()).isEqualTo(chosen);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "/a        | /a",
        "/ab       | /ab",
        "/abc      | /abc",
        "/abcd     | /abcd",
        "/abcde    | /abcd",
        "/abd      | /ab",
        "/ac       | /a",
        "/b        | /b",
        "/bz       | /b",
        "/c        | ",
        "/abcd/x   | /abcd",
        "/a/b/c/d  | /a/b/c",
        "/a/b/x    | /a/b/",
        "/a/b      | = /a/b",
        "/z/y      | /z",
    })
    void longestPrefixAmongNestedNames(String uri, String chosen) throws Exception {
        Locations locations = Locations.of(List.of(
                location(Match.PREFIX, "/z", false),
                location(Match.PREFIX, "/abcd", false),
                location(Match.PREFIX, "/a", false),
                location(Match.PREFIX, "/b", false),
                location(Match.PREFIX, "/ab", false),
                location(Match.PREFIX, "/a/b/c", false),
                location(Match.EXACT, "/a/b", false),
                location(Match.PREFIX, "/a/b/", false),
                location(Match.PREFIX, "/abc", false)));
        Request req = request(uri);
        assertThat(locations.find(req)).isFalse();
        LocationConf l = req.location();
        String found = l == null ? null : (l.match() == Match.EXACT ? "= " : "") + l.pattern();
        assertThat(found).isEqualTo(chosen);
    }

    @Test
    void namedLocationsAreFoundByNameOnly() throws Exception {
        Locations locations = Locations.of(List.of(
                location(Match.NAMED, "@x", false),
                location(Match.NAMED, "@x", false)));
        Request req = request("/@x");
        locations.find(req);
        assertThat(req.location()).isNull();
        // as nginx: of two with one name, the first written
        assertThat(locations.named("@x")).isSameAs(locations.list().get(0));
        assertThat(locations.named("@y")).isNull();
    }
}
