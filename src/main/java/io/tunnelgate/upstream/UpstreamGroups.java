package io.tunnelgate.upstream;

import io.tunnelgate.config.Block;
import io.tunnelgate.config.ConfigException;
import io.tunnelgate.config.ConfigNode;
import io.tunnelgate.config.LoadContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The upstream groups of one configuration (nginx's upstream main conf): the {@code upstream}
 * blocks as they load, the references of static {@code proxy_pass} URLs, and, after
 * {@link #finish()}, the groups those references use.
 *
 * <p>A load-context service; everything but {@link #find} runs on the loading thread.
 */
public final class UpstreamGroups {
    private final HostLookup lookup;
    private final Map<Block, GroupBuilder> blocks = new IdentityHashMap<>();
    /** Builders by lower-case name, in config order: names compare case-insensitively, as in nginx. */
    private final Map<String, GroupBuilder> byName = new LinkedHashMap<>();
    private final List<UpstreamRef> refs = new ArrayList<>();
    /** Written once by finish(); volatile because event loops call find(). */
    private volatile Map<String, UpstreamGroup> explicit;

    UpstreamGroups(HostLookup lookup) {
        this.lookup = lookup;
    }

    /** This configuration's groups, made and registered in {@code ctx} on first use. */
    public static UpstreamGroups of(LoadContext ctx) {
        return of(ctx, HostLookup.SYSTEM);
    }

    /** As {@link #of(LoadContext)}, resolving with {@code lookup} if this call makes the service. */
    static UpstreamGroups of(LoadContext ctx, HostLookup lookup) {
        return ctx.service(UpstreamGroups.class, () -> new UpstreamGroups(lookup));
    }

    /**
     * Records a static {@code proxy_pass} URL's host; bound by {@link #finish()}.
     *
     * @param host the URL's host (an IPv6 literal with or without brackets)
     * @param port the URL's port, or the scheme's default when none was written
     * @param portGiven whether the URL had a port (an upstream block may then not be named)
     * @param node the {@code proxy_pass} directive, for the position of binding errors
     */
    public UpstreamRef reference(String host, int port, boolean portGiven, ConfigNode node) {
        UpstreamRef ref = new UpstreamRef(host, port, portGiven, node.pos());
        refs.add(ref);
        return ref;
    }

    /**
     * Builds the groups and binds every reference, once, after all directives ran: a URL without a
     * port names the {@code upstream} block of its host if there is one; otherwise the host is
     * resolved now into an implicit group, shared by the URLs with the same host and port.
     *
     * @throws ConfigException nginx's errors: {@code no servers are inside upstream},
     *     {@code upstream "x" may not have port 8080}, {@code host not found in upstream "x"}
     */
    public void finish() throws ConfigException {
        if (explicit != null) {
            throw new IllegalStateException("upstream groups finished twice");
        }
        Map<String, UpstreamGroup> groups = new HashMap<>();
        for (Map.Entry<String, GroupBuilder> e : byName.entrySet()) {
            groups.put(e.getKey(), e.getValue().build());
        }
        Map<String, UpstreamGroup> implicit = new HashMap<>();
        for (UpstreamRef ref : refs) {
            ref.bind(bind(ref, groups, implicit));
        }
        explicit = Map.copyOf(groups);
    }

    /**
     * The {@code upstream} block named {@code name} (case-insensitive), or null: for a
     * {@code proxy_pass} with variables whose evaluated host may name a block. Safe on any thread
     * after {@link #finish()}; null before.
     */
    public UpstreamGroup find(String name) {
        Map<String, UpstreamGroup> groups = explicit;
        return groups == null ? null : groups.get(name.toLowerCase(Locale.ROOT));
    }

    private UpstreamGroup bind(UpstreamRef ref, Map<String, UpstreamGroup> groups,
                               Map<String, UpstreamGroup> implicit) throws ConfigException {
        String key = ref.host().toLowerCase(Locale.ROOT);
        UpstreamGroup named = groups.get(key);
        if (named != null) {
            if (ref.portGiven()) {
                throw new ConfigException("upstream \"" + ref.host() + "\" may not have port " + ref.port(),
                        ref.pos());
            }
            return named;
        }
        String implicitKey = key + ":" + ref.port();
        UpstreamGroup g = implicit.get(implicitKey);
        if (g == null) {
            try {
                g = UpstreamGroup.implicit(ref.host(), Addresses.resolve(ref.host(), ref.port(), lookup), ref.pos());
            } catch (Addresses.BadAddress e) {
                throw new ConfigException(e.getMessage() + " in upstream \"" + ref.host() + "\"", ref.pos());
            }
            implicit.put(implicitKey, g);
        }
        return g;
    }

    /** Starts the group of an {@code upstream name { }} block. */
    void open(Block block, ConfigNode node) throws ConfigException {
        String name = node.arg(0);
        GroupBuilder b = new GroupBuilder(name, node.pos());
        if (byName.putIfAbsent(name.toLowerCase(Locale.ROOT), b) != null) {
            throw new ConfigException("duplicate upstream \"" + name + "\"", node.pos());
        }
        blocks.put(block, b);
    }

    /** The group of the {@code upstream} block a directive sits in. */
    GroupBuilder builder(Block block) {
        GroupBuilder b = blocks.get(block);
        if (b == null) {
            throw new IllegalStateException("no upstream block is open");
        }
        return b;
    }

    HostLookup lookup() {
        return lookup;
    }
}
