package io.tunnelgate.http;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A server's locations and nginx's choice among them for a URI: exact first, then longest prefix. */
public final class Locations {
    private final Map<String, LocationConf> exact = new HashMap<>();
    private final List<LocationConf> prefixes = new ArrayList<>();

    public Locations(List<LocationConf> locations) {
        for (LocationConf l : locations) {
            if (l.match() == LocationConf.Match.EXACT) {
                exact.putIfAbsent(l.pattern(), l);
            } else {
                prefixes.add(l);
            }
        }
        prefixes.sort(Comparator.comparingInt((LocationConf l) -> l.pattern().length()).reversed());
    }

    /** The location for a normalised URI path, or null when none matches. */
    public LocationConf find(String path) {
        LocationConf l = exact.get(path);
        if (l != null) {
            return l;
        }
        for (LocationConf p : prefixes) {
            if (path.startsWith(p.pattern())) {
                return p;
            }
        }
        return null;
    }
}
