package io.tunnelgate.limit;

import io.tunnelgate.http.ModuleKey;
import io.tunnelgate.http.Request;
import java.util.ArrayList;
import java.util.List;

/**
 * What the limits decided for one request (nginx's {@code r->main->limit_req_status} and
 * {@code limit_conn_status}: decided once, so an internal redirect or the end of a delay does not
 * count the request again), and the {@code limit_conn} slots it holds until it ends.
 *
 * <p>Confined to the request's event loop.
 */
final class LimitState {
    static final ModuleKey<LimitState> KEY = ModuleKey.create("limit");

    /** A slot held in a zone. */
    private record Slot(ConnZone zone, String key) {
    }

    LimitStatus reqStatus;
    LimitStatus connStatus;
    private List<Slot> held;

    private LimitState() {
    }

    /** The request's state, created on first use. */
    static LimitState of(Request req) {
        LimitState s = req.get(KEY);
        if (s == null) {
            s = new LimitState();
            req.set(KEY, s);
        }
        return s;
    }

    /** Records a slot taken; the first one arranges for all to be given back when the request ends. */
    void hold(Request req, ConnZone zone, String key) {
        if (held == null) {
            held = new ArrayList<>(2);
            req.onEnd(this::releaseAll);
        }
        held.add(new Slot(zone, key));
    }

    /** Gives back every slot held, once (nginx's {@code ngx_http_limit_conn_cleanup_all}). */
    void releaseAll() {
        if (held == null) {
            return;
        }
        for (Slot s : held) {
            s.zone().release(s.key());
        }
        held.clear();
    }
}
