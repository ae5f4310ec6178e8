package io.tunnelgate.limit;

import java.util.Iterator;
import java.util.LinkedHashMap;

/**
 * A {@code limit_req_zone}: one leaky-bucket state per key, shared by every event loop, bounded by
 * the zone's size.
 *
 * <p>The keys are split over stripes by hash, each a map in least-recently-used order under its own
 * lock, so that event loops rarely wait for each other and never for long (a lookup is a map access
 * and a little arithmetic). Each stripe behaves as nginx's whole zone does: a new key first expires
 * up to two idle, drained entries from the stripe's old end; a full stripe gives up its least
 * recently used entry (if no request holds it); if that fails too, the request is refused as nginx
 * refuses when it cannot allocate a node. The LRU order is per stripe, so eviction is approximately,
 * not exactly, nginx's.
 */
final class ReqZone {
    /** Bytes one state costs, as nginx documents for 64-bit platforms: 1m holds 8192 states. */
    static final int ENTRY_BYTES = 128;
    private static final int MAX_STRIPES = 16;
    private static final int MIN_STRIPE_CAPACITY = 64;

    /** What a lookup found (nginx's return codes of {@code ngx_http_limit_req_lookup}). */
    enum Rc {
        /** Accounted: the request fits in the bucket. */
        OK,
        /** Fits, not accounted yet: a later zone of the request decides; the entry is held until then. */
        AGAIN,
        /** The excess is above the burst. */
        BUSY,
        /** No room for a new key. */
        ERROR
    }

    /**
     * A lookup's result.
     *
     * @param excess the excess the request would make, in milli-requests
     * @param held the entry held for {@link #account} or {@link #unlock} ({@link Rc#AGAIN} only)
     */
    record Lookup(Rc rc, long excess, Node held) {
    }

    /** One key's bucket; its fields are guarded by its stripe's lock. */
    static final class Node {
        private final Stripe stripe;
        private long last;
        private long excess;
        private int count;

        private Node(Stripe stripe) {
            this.stripe = stripe;
        }
    }

    /** A share of the keys with its own lock and bound. */
    private static final class Stripe {
        /** In access order: the first entry is the least recently used. */
        final LinkedHashMap<String, Node> nodes = new LinkedHashMap<>(16, 0.75f, true);
    }

    private final String name;
    private final long rate;
    private final int stripeCapacity;
    private final Stripe[] stripes;

    /**
     * @param rate milli-requests per second (see {@link LeakyBucket#rate})
     * @param capacity how many keys the zone keeps at most
     * @param stripeCount how many stripes to split them over (a power of two)
     */
    ReqZone(String name, long rate, int capacity, int stripeCount) {
        if (Integer.bitCount(stripeCount) != 1 || capacity < stripeCount) {
            throw new IllegalArgumentException("bad stripes " + stripeCount + " for " + capacity);
        }
        this.name = name;
        this.rate = rate;
        this.stripeCapacity = capacity / stripeCount;
        this.stripes = new Stripe[stripeCount];
        for (int i = 0; i < stripeCount; i++) {
            stripes[i] = new Stripe();
        }
    }

    /** A zone of {@code sizeBytes}, striped as far as each stripe keeps a useful number of keys. */
    static ReqZone of(String name, long rate, long sizeBytes) {
        int capacity = (int) Math.min(Integer.MAX_VALUE, sizeBytes / ENTRY_BYTES);
        return new ReqZone(name, rate, capacity, stripesFor(capacity));
    }

    /** The most stripes (up to 16) that leave each at least 64 keys. */
    static int stripesFor(int capacity) {
        int n = Integer.highestOneBit(Math.max(1, capacity / MIN_STRIPE_CAPACITY));
        return Math.min(MAX_STRIPES, n);
    }

    String name() {
        return name;
    }

    long rate() {
        return rate;
    }

    /**
     * nginx's lookup: the excess one more request of {@code key} makes at {@code now}; refused
     * above {@code burst}; stored if {@code account}, else the entry is held for a later
     * {@link #account} (or {@link #unlock}).
     */
    Lookup lookup(String key, long burst, boolean account, long now) {
        Stripe s = stripe(key);
        synchronized (s) {
            Node node = s.nodes.get(key);
            if (node != null) {
                long ms = LeakyBucket.elapsed(now, node.last);
                long excess = LeakyBucket.excess(node.excess, rate, ms);
                if (excess > burst) {
                    return new Lookup(Rc.BUSY, excess, null);
                }
                if (account) {
                    store(node, excess, ms, now);
                    return new Lookup(Rc.OK, excess, null);
                }
                node.count++;
                return new Lookup(Rc.AGAIN, excess, node);
            }
            if (!makeRoom(s, now)) {
                return new Lookup(Rc.ERROR, 0, null);
            }
            node = new Node(s);
            s.nodes.put(key, node);
            if (account) {
                node.last = now;
                return new Lookup(Rc.OK, 0, null);
            }
            node.last = LeakyBucket.NEVER;
            node.count = 1;
            return new Lookup(Rc.AGAIN, 0, node);
        }
    }

    /** Accounts a held entry's request at {@code now} and lets it go; returns its new excess. */
    long account(Node node, long now) {
        synchronized (node.stripe) {
            long ms = LeakyBucket.elapsed(now, node.last);
            long excess = LeakyBucket.excess(node.excess, rate, ms);
            store(node, excess, ms, now);
            node.count--;
            return excess;
        }
    }

    /** Lets a held entry go without accounting (a later zone refused the request). */
    void unlock(Node node) {
        synchronized (node.stripe) {
            node.count--;
        }
    }

    /** How many keys the zone keeps now. */
    int size() {
        int n = 0;
        for (Stripe s : stripes) {
            synchronized (s) {
                n += s.nodes.size();
            }
        }
        return n;
    }

    /** How many keys the zone keeps at most. */
    int capacity() {
        return stripeCapacity * stripes.length;
    }

    private static void store(Node node, long excess, long ms, long now) {
        node.excess = excess;
        // without time passing the fraction of a millisecond's leak is kept for later, as nginx does
        if (ms != 0) {
            node.last = now;
        }
    }

    /** nginx's expire before an allocation, and the forced one when the zone is full. */
    private boolean makeRoom(Stripe s, long now) {
        expire(s, 1, now);
        if (s.nodes.size() < stripeCapacity) {
            return true;
        }
        expire(s, 0, now);
        return s.nodes.size() < stripeCapacity;
    }

    /**
     * nginx's {@code ngx_http_limit_req_expire}: {@code n == 1} removes up to two idle drained
     * entries from the old end; {@code n == 0} first removes the oldest one whatever its state,
     * unless a request holds it.
     */
    private void expire(Stripe s, int n, long now) {
        Iterator<Node> oldest = s.nodes.values().iterator();
        while (n < 3 && oldest.hasNext()) {
            Node node = oldest.next();
            // entries move to the new end when used, so a held one stops the search
            if (node.count != 0) {
                return;
            }
            if (n++ != 0 && !LeakyBucket.expired(now, node.last, node.excess, rate)) {
                return;
            }
            oldest.remove();
        }
    }

    private Stripe stripe(String key) {
        int h = key.hashCode();
        h ^= h >>> 16;
        return stripes[h & (stripes.length - 1)];
    }
}
