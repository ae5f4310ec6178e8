package io.tunnelgate.upstream;

import io.tunnelgate.config.Args;
import io.tunnelgate.config.Block;
import io.tunnelgate.config.ConfigException;
import io.tunnelgate.config.ConfigNode;
import io.tunnelgate.config.LoadContext;
import io.tunnelgate.config.Values;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code server address [weight=N] [max_fails=N] [fail_timeout=T] [backup] [down];} inside
 * {@code upstream { }}, read as nginx's ngx_http_upstream_server: parameters first (a bad one is
 * {@code invalid parameter "x"}), then the address, resolved now.
 */
final class ServerLine {
    private static final int DEFAULT_FAIL_TIMEOUT_S = 10;

    private int weight = 1;
    private int maxFails = 1;
    private long failTimeoutS = DEFAULT_FAIL_TIMEOUT_S;
    private boolean backup;
    private boolean down;

    private ServerLine() {
    }

    static void apply(LoadContext ctx, Block block, ConfigNode node) throws ConfigException {
        UpstreamGroups groups = UpstreamGroups.of(ctx);
        GroupBuilder group = groups.builder(block);
        ServerLine line = new ServerLine();
        for (int i = 1; i < node.argCount(); i++) {
            line.parameter(node, node.arg(i));
        }
        String url = node.arg(0);
        List<InetSocketAddress> addresses;
        try {
            addresses = Addresses.parse(url, groups.lookup());
        } catch (Addresses.BadAddress e) {
            throw Args.error(node, e.getMessage() + " in upstream \"" + url + "\"");
        }
        List<Peer> peers = new ArrayList<>(addresses.size());
        for (InetSocketAddress a : addresses) {
            peers.add(new Peer(Peer.nameOf(a), a, line.weight, line.maxFails, line.failTimeoutS * 1000,
                    line.backup, line.down));
        }
        group.addServer(peers);
    }

    private void parameter(ConfigNode node, String p) throws ConfigException {
        if (p.startsWith("weight=")) {
            weight = Values.parseInt(p.substring(7));
            if (weight <= 0) {
                throw Args.invalidParameter(node, p);
            }
        } else if (p.startsWith("max_fails=")) {
            maxFails = Values.parseInt(p.substring(10));
            if (maxFails < 0) {
                throw Args.invalidParameter(node, p);
            }
        } else if (p.startsWith("fail_timeout=")) {
            failTimeoutS = Values.parseTimeSeconds(p.substring(13));
            if (failTimeoutS < 0) {
                throw Args.invalidParameter(node, p);
            }
        } else if (p.equals("backup")) {
            backup = true;
        } else if (p.equals("down")) {
            down = true;
        } else if (p.startsWith("max_conns=")) {
            // nginx counts max_conns per worker without a zone; per event loop it would mean little
            throw Args.error(node, "the \"max_conns\" parameter is not supported by Tunnelgate");
        } else {
            throw Args.invalidParameter(node, p);
        }
    }
}
