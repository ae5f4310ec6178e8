package io.tunnelgate.limit;

import io.tunnelgate.config.ConfigException;
import io.tunnelgate.config.ConfigNode;
import io.tunnelgate.config.LoadContext;
import io.tunnelgate.config.SourcePos;
import io.tunnelgate.http.Request;
import io.tunnelgate.script.ComplexValue;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The zones of one configuration load, by name, with nginx's shared-memory rules: one namespace
 * for both kinds; a zone may be used before it is defined (checked once everything is loaded);
 * it is defined once; a name is used by one kind only.
 */
final class Zones {
    /** The two kinds of zone, named by their defining directive. */
    enum Kind {
        CONN("limit_conn_zone"),
        REQ("limit_req_zone");

        final String directive;

        Kind(String directive) {
            this.directive = directive;
        }
    }

    /** A name seen in the config: where it was first used, and its definition once read. */
    private static final class Entry {
        final Kind kind;
        SourcePos firstUse;
        long size;
        ComplexValue<Request> key;
        ConnZone conn;
        ReqZone req;

        Entry(Kind kind) {
            this.kind = kind;
        }
    }

    private final Map<String, Entry> entries = new LinkedHashMap<>();

    /** The zones of the config being loaded. */
    static Zones of(LoadContext ctx) {
        return ctx.service(Zones.class, Zones::new);
    }

    /** Notes a use of zone {@code name} by a {@code limit_conn} or {@code limit_req} at {@code node}. */
    void use(Kind kind, String name, ConfigNode node) throws ConfigException {
        Entry e = entry(kind, name, node);
        if (e.firstUse == null) {
            e.firstUse = node.pos();
        }
    }

    /** Defines a {@code limit_conn_zone}. */
    void defineConn(String name, long size, ComplexValue<Request> key, ConfigNode node) throws ConfigException {
        define(Kind.CONN, name, size, key, node).conn = ConnZone.of(name, size);
    }

    /** Defines a {@code limit_req_zone} with its rate in milli-requests per second. */
    void defineReq(String name, long size, long rate, ComplexValue<Request> key, ConfigNode node)
            throws ConfigException {
        define(Kind.REQ, name, size, key, node).req = ReqZone.of(name, rate, size);
    }

    /** As nginx at the end of loading: a zone used but never defined is an error where first used. */
    void finish() throws ConfigException {
        for (Map.Entry<String, Entry> e : entries.entrySet()) {
            if (e.getValue().key == null) {
                throw new ConfigException("unknown " + e.getValue().kind.directive + " \"" + e.getKey() + "\"",
                        e.getValue().firstUse);
            }
        }
    }

    /** The key and zone of a defined {@code limit_conn_zone}. */
    ConnLimiter.Limit connLimit(String name, int conn, SourcePos pos) throws ConfigException {
        Entry e = defined(Kind.CONN, name, pos);
        return new ConnLimiter.Limit(e.key, e.conn, conn);
    }

    /** The key and zone of a defined {@code limit_req_zone}. */
    ReqLimiter.Limit reqLimit(String name, long burst, long delay, SourcePos pos) throws ConfigException {
        Entry e = defined(Kind.REQ, name, pos);
        return new ReqLimiter.Limit(e.key, e.req, burst, delay);
    }

    private Entry define(Kind kind, String name, long size, ComplexValue<Request> key, ConfigNode node)
            throws ConfigException {
        Entry e = entry(kind, name, node);
        if (e.size != 0 && e.size != size) {
            throw new ConfigException("the size " + size + " of shared memory zone \"" + name
                    + "\" conflicts with already declared size " + e.size, node.pos());
        }
        if (e.key != null) {
            throw new ConfigException(node.name() + " \"" + name + "\" is already bound to key \""
                    + e.key.source() + "\"", node.pos());
        }
        e.size = size;
        e.key = key;
        return e;
    }

    private Entry entry(Kind kind, String name, ConfigNode node) throws ConfigException {
        Entry e = entries.computeIfAbsent(name, n -> new Entry(kind));
        if (e.kind != kind) {
            throw new ConfigException("the shared memory zone \"" + name + "\" is already declared for a different use",
                    node.pos());
        }
        return e;
    }

    private Entry defined(Kind kind, String name, SourcePos pos) throws ConfigException {
        Entry e = entries.get(name);
        if (e == null || e.kind != kind || e.key == null) {
            throw new ConfigException("unknown " + kind.directive + " \"" + name + "\"", pos);
        }
        return e;
    }
}
