package io.tunnelgate.http;

import io.tunnelgate.config.ConfigException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The exact and prefix locations of one level, arranged as nginx's static location tree so that
 * the search costs a few comparisons per level of the URI instead of one per location, and ends
 * where nginx's does in every case (including its auto-redirect quirks).
 *
 * <p>Built as nginx builds it: the locations sorted by name (an exact one before a prefix of the
 * same name), an exact and a prefix of one name joined into one entry (two of a kind are
 * "duplicate location"), the names that extend a prefix moved into that prefix's own list, and
 * each list made a binary tree around its middle entry, every node keeping only the part of its
 * name beyond its parent prefix.
 */
final class LocationTree {
    /**
     * The search ends here: the URI equals an exact location's name (and, one level up in
     * {@link Locations}, a regex matched).
     */
    static final int FINAL = 0;
    /** Only a prefix matched (the longest one is chosen); nested locations and regexes come next. */
    static final int PREFIX = 1;
    /** The URI is a location's name without its final slash and that location auto-redirects. */
    static final int AUTO_REDIRECT = 2;
    /** Nothing matched. */
    static final int NONE = 3;

    private final String name;
    private final LocationConf exact;
    private final LocationConf inclusive;
    private final boolean autoRedirect;
    private LocationTree left;
    private LocationTree right;
    private LocationTree tree;

    private LocationTree(String name, LocationConf exact, LocationConf inclusive) {
        this.name = name;
        this.exact = exact;
        this.inclusive = inclusive;
        this.autoRedirect = exact != null && exact.autoRedirect() || inclusive != null && inclusive.autoRedirect();
    }

    /** A sorted entry while the tree is built: one name, its exact and prefix location, its list. */
    private static final class Entry {
        final String name;
        LocationConf exact;
        LocationConf inclusive;
        List<Entry> list = List.of();

        Entry(LocationConf l) {
            this.name = l.pattern();
            if (l.match() == LocationConf.Match.EXACT) {
                exact = l;
            } else {
                inclusive = l;
            }
        }
    }

    /**
     * Builds the tree of a level's exact and prefix locations, given in config order.
     *
     * @return the root, or null when there are none
     * @throws ConfigException {@code duplicate location "/x"} at the later of two locations with one
     *     name and kind (both exact, or both prefixes, {@code ^~} or not)
     */
    static LocationTree build(List<LocationConf> locations) throws ConfigException {
        List<Entry> entries = new ArrayList<>();
        for (LocationConf l : locations) {
            entries.add(new Entry(l));
        }
        if (entries.isEmpty()) {
            return null;
        }
        // stable: locations equal by this order keep their config order, as nginx's sort does
        entries.sort(Comparator.comparing((Entry e) -> e.name).thenComparing(e -> e.exact == null));
        join(entries);
        makeLists(entries);
        return tree(entries, 0);
    }

    private static void join(List<Entry> entries) throws ConfigException {
        int i = 0;
        while (i + 1 < entries.size()) {
            Entry q = entries.get(i);
            Entry x = entries.get(i + 1);
            if (!q.name.equals(x.name)) {
                i++;
                continue;
            }
            if (q.exact != null && x.exact != null || q.inclusive != null && x.inclusive != null) {
                LocationConf dup = x.exact != null ? x.exact : x.inclusive;
                throw new ConfigException("duplicate location \"" + LocationSpec.written(x.name) + "\"", dup.pos());
            }
            q.inclusive = x.inclusive;
            entries.remove(i + 1);
        }
    }

    /** Moves the entries whose names extend a prefix's name into that prefix's list, recursively. */
    private static void makeLists(List<Entry> entries) {
        for (int i = 0; i < entries.size(); i++) {
            Entry q = entries.get(i);
            if (q.inclusive == null) {
                continue;
            }
            int end = i + 1;
            while (end < entries.size() && entries.get(end).name.startsWith(q.name)) {
                end++;
            }
            if (end > i + 1) {
                List<Entry> extending = entries.subList(i + 1, end);
                q.list = new ArrayList<>(extending);
                extending.clear();
                makeLists(q.list);
            }
        }
    }

    /** The entries as a tree around the middle one; {@code prefix} chars of each name are the parents'. */
    private static LocationTree tree(List<Entry> entries, int prefix) {
        int middle = entries.size() / 2;
        Entry e = entries.get(middle);
        LocationTree node = new LocationTree(e.name.substring(prefix), e.exact, e.inclusive);
        if (middle > 0) {
            node.left = tree(entries.subList(0, middle), prefix);
        }
        if (middle + 1 < entries.size()) {
            node.right = tree(entries.subList(middle + 1, entries.size()), prefix);
        }
        if (!e.list.isEmpty()) {
            node.tree = tree(e.list, e.name.length());
        }
        return node;
    }

    /**
     * nginx's static location search for {@code uri} from this root: an exact match ends it, the
     * longest matching prefix is remembered, and a location whose name is the URI plus a slash may
     * ask for an auto-redirect. The location found (if any) becomes the request's.
     *
     * @return {@link #FINAL}, {@link #PREFIX}, {@link #AUTO_REDIRECT} or {@link #NONE}
     */
    int search(Request req, String uri) {
        int rc = NONE;
        LocationConf found = null;
        int offset = 0;
        int len = uri.length();
        LocationTree node = this;
        while (node != null) {
            int nameLen = node.name.length();
            int cmp = compare(uri, offset, node.name, Math.min(len, nameLen));
            if (cmp != 0) {
                node = cmp < 0 ? node.left : node.right;
            } else if (len > nameLen) {
                if (node.inclusive != null) {
                    found = node.inclusive;
                    rc = PREFIX;
                    offset += nameLen;
                    len -= nameLen;
                    node = node.tree;
                } else {
                    node = node.right;
                }
            } else if (len == nameLen) {
                found = node.exact != null ? node.exact : node.inclusive;
                rc = node.exact != null ? FINAL : PREFIX;
                break;
            } else {
                if (len + 1 == nameLen && node.autoRedirect) {
                    found = node.exact != null ? node.exact : node.inclusive;
                    rc = AUTO_REDIRECT;
                }
                node = node.left;
            }
        }
        if (found != null) {
            req.location(found);
        }
        return rc;
    }

    /** Compares {@code n} chars of {@code uri} from {@code offset} with the start of {@code name}. */
    private static int compare(String uri, int offset, String name, int n) {
        for (int i = 0; i < n; i++) {
            int d = uri.charAt(offset + i) - name.charAt(i);
            if (d != 0) {
                return d;
            }
        }
        return 0;
    }
}
