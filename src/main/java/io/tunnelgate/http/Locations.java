package io.tunnelgate.http;

import io.tunnelgate.config.ConfigException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The locations of one level (a server, or the locations nested in one location) and nginx's
 * choice among them for a URI, as {@code ngx_http_core_find_location} makes it:
 *
 * <ol>
 *   <li>an exact location ({@code =}) equal to the URI wins at once;
 *   <li>else the longest matching prefix is remembered and the locations nested in it are searched
 *       the same way (an exact or regex match in there wins);
 *   <li>unless that longest prefix of this level is {@code ^~}, the regex locations of this level
 *       are tried in config order and the first that matches wins (its captures are set, and its
 *       nested locations are searched);
 *   <li>else the remembered prefix (or the nested one found in it) serves the request.
 * </ol>
 *
 * <p>The exact and prefix locations are kept in a {@link LocationTree}, so a search does not scan
 * every location. Named locations ({@code @name}, server level only) are never matched by a URI;
 * {@code error_page} reaches them through {@link #named}.
 *
 * <p>Immutable once built; searched on the event loops with no allocation besides the regex
 * matches' own.
 */
public final class Locations {
    /** A level without locations. */
    public static final Locations NONE = new Locations(List.of(), null, List.of(), Map.of());

    private final List<LocationConf> all;
    private final LocationTree tree;
    private final LocationConf[] regexes;
    private final Map<String, LocationConf> named;

    private Locations(List<LocationConf> all, LocationTree tree, List<LocationConf> regexes,
                      Map<String, LocationConf> named) {
        this.all = List.copyOf(all);
        this.tree = tree;
        this.regexes = regexes.toArray(new LocationConf[0]);
        this.named = named;
    }

    /**
     * The locations of one level, given in config order.
     *
     * @throws ConfigException nginx's {@code duplicate location "/x"} at the later one
     */
    public static Locations of(List<LocationConf> locations) throws ConfigException {
        if (locations.isEmpty()) {
            return NONE;
        }
        List<LocationConf> statics = new ArrayList<>();
        List<LocationConf> regexes = new ArrayList<>();
        Map<String, LocationConf> named = new HashMap<>();
        for (LocationConf l : locations) {
            if (l.match().isStatic()) {
                statics.add(l);
            } else if (l.match().isRegex()) {
                regexes.add(l);
            } else {
                // nginx keeps them sorted by name and takes the first of a name: the first written
                named.putIfAbsent(l.pattern(), l);
            }
        }
        return new Locations(locations, LocationTree.build(statics), regexes, Map.copyOf(named));
    }

    /**
     * Chooses the location for the request's URI and makes it the request's location (it stays
     * as it was when none matches, so the caller starts from the server's configuration).
     *
     * @return true when the answer is nginx's auto-redirect: a 301 to the chosen location's name,
     *     which is the URI with a slash added
     */
    public boolean find(Request req) {
        return find(req, req.uri()) == LocationTree.AUTO_REDIRECT;
    }

    /** The locations of this level in config order (not those nested in them). */
    public List<LocationConf> list() {
        return all;
    }

    /** The named location {@code @name} of this server, or null. */
    public LocationConf named(String name) {
        return named.get(name);
    }

    /** One level of the search; returns a {@link LocationTree} outcome. */
    private int find(Request req, String uri) {
        boolean noRegex = false;
        int rc = tree == null ? LocationTree.NONE : tree.search(req, uri);
        if (rc == LocationTree.PREFIX) {
            LocationConf prefix = req.location();
            noRegex = prefix.match() == LocationConf.Match.PREFIX_NO_REGEX;
            rc = prefix.nested().find(req, uri);
        }
        if (rc == LocationTree.FINAL || rc == LocationTree.AUTO_REDIRECT || noRegex) {
            return rc;
        }
        for (LocationConf l : regexes) {
            if (l.regex().matches(req, uri)) {
                req.location(l);
                l.nested().find(req, uri);
                // a regex match is final even when only a prefix matched inside it
                return LocationTree.FINAL;
            }
        }
        return rc;
    }
}
