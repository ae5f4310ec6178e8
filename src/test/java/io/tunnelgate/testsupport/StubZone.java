package io.tunnelgate.testsupport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DefaultDnsRawRecord;
import io.netty.handler.codec.dns.DnsQuery;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponse;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
import io.netty.util.NetUtil;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** The configuration of a {@link StubDnsServer} and how it turns into answers. */
final class StubZone {

    /** Longest CNAME chain the stub flattens into one answer. */
    private static final int MAX_CHAIN = 8;

    /**
     * What is configured for one name.
     *
     * @param a        A record addresses (4 bytes each)
     * @param aaaa     AAAA record addresses (16 bytes each)
     * @param cname    CNAME target, or null
     * @param flatten  whether answers carry what the stub knows of the CNAME target too
     * @param ttl      the records' TTL
     * @param rcode    error RCODE, 0 for none
     * @param drop     never answer
     * @param truncate answer UDP with TC=1 and no records
     * @param hold     answers wait for this future, or null
     */
    record Entry(List<byte[]> a, List<byte[]> aaaa, String cname, boolean flatten, int ttl, int rcode,
                 boolean drop, boolean truncate, CompletableFuture<Void> hold) {

        static final Entry EMPTY = new Entry(List.of(), List.of(), null, false, StubDnsServer.DEFAULT_TTL, 0,
                false, false, null);

        Entry withA(List<byte[]> more) {
            return new Entry(concat(a, more), aaaa, cname, flatten, ttl, rcode, drop, truncate, hold);
        }

        Entry withAaaa(List<byte[]> more) {
            return new Entry(a, concat(aaaa, more), cname, flatten, ttl, rcode, drop, truncate, hold);
        }

        Entry withCname(String target, boolean flattened) {
            return new Entry(a, aaaa, target, flattened, ttl, rcode, drop, truncate, hold);
        }

        Entry withTtl(int seconds) {
            return new Entry(a, aaaa, cname, flatten, seconds, rcode, drop, truncate, hold);
        }

        Entry withRcode(int code) {
            return new Entry(a, aaaa, cname, flatten, ttl, code, drop, truncate, hold);
        }

        Entry withDrop(boolean dropped) {
            return new Entry(a, aaaa, cname, flatten, ttl, rcode, dropped, truncate, hold);
        }

        Entry withTruncate(boolean truncated) {
            return new Entry(a, aaaa, cname, flatten, ttl, rcode, drop, truncated, hold);
        }

        Entry withHold(CompletableFuture<Void> release) {
            return new Entry(a, aaaa, cname, flatten, ttl, rcode, drop, truncate, release);
        }

        private static List<byte[]> concat(List<byte[]> first, List<byte[]> second) {
            List<byte[]> all = new ArrayList<>(first);
            all.addAll(second);
            return List.copyOf(all);
        }
    }

    /**
     * A received question, as plain values so a held answer outlives the released query.
     *
     * @param id   the query id
     * @param name the normalised name asked
     * @param type the type asked
     */
    record Question(int id, String name, DnsRecordType type) {

        /** The first question of {@code query}, or null when it has none. */
        static Question of(DnsQuery query) {
            if (query.count(DnsSection.QUESTION) == 0) {
                return null;
            }
            DnsRecord question = query.recordAt(DnsSection.QUESTION);
            return new Question(query.id(), key(question.name()), question.type());
        }
    }

    private final Map<String, Entry> zone;

    StubZone(Map<String, Entry> zone) {
        this.zone = zone;
    }

    /** The map key of a name: lower case, no trailing dot. */
    static String key(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }

    static List<byte[]> literals(String[] texts, int length) {
        List<byte[]> out = new ArrayList<>(texts.length);
        for (String text : texts) {
            byte[] bytes = NetUtil.createByteArrayFromIpAddressString(text);
            if (bytes == null || bytes.length != length) {
                throw new IllegalArgumentException("not an IPv" + (length == 4 ? 4 : 6) + " literal: " + text);
            }
            out.add(bytes);
        }
        return out;
    }

    /** Fills a fresh response (it owns the records added) for {@code question}. */
    void fill(DnsResponse response, Question question, boolean overTcp) {
        response.setRecursionDesired(true).setRecursionAvailable(true);
        response.addRecord(DnsSection.QUESTION, new DefaultDnsQuestion(question.name() + '.', question.type()));
        Entry entry = zone.getOrDefault(question.name(), Entry.EMPTY);
        if (entry.rcode() != 0) {
            response.setCode(DnsResponseCode.valueOf(entry.rcode()));
            return;
        }
        if (entry.truncate() && !overTcp) {
            response.setTruncated(true);
            return;
        }
        String owner = question.name();
        for (int hop = 0; hop <= MAX_CHAIN; hop++) {
            Entry current = zone.getOrDefault(owner, Entry.EMPTY);
            if (current.cname() != null && question.type() != DnsRecordType.CNAME) {
                response.addRecord(DnsSection.ANSWER, record(owner, DnsRecordType.CNAME, current.ttl(),
                        Unpooled.wrappedBuffer(encodeName(current.cname()))));
                if (!current.flatten()) {
                    return;
                }
                owner = current.cname();
                continue;
            }
            List<byte[]> addresses = question.type() == DnsRecordType.A ? current.a()
                    : question.type() == DnsRecordType.AAAA ? current.aaaa() : List.of();
            for (byte[] address : addresses) {
                response.addRecord(DnsSection.ANSWER, record(owner, question.type(), current.ttl(),
                        Unpooled.wrappedBuffer(address.clone())));
            }
            return;
        }
    }

    private static DnsRecord record(String owner, DnsRecordType type, int ttl, ByteBuf content) {
        return new DefaultDnsRawRecord(owner + '.', type, ttl, content);
    }

    /** Uncompressed wire form of a name: length-prefixed labels, then the root label. */
    private static byte[] encodeName(String name) {
        ByteBuf out = Unpooled.buffer();
        try {
            for (String label : name.split("\\.")) {
                byte[] bytes = label.getBytes(StandardCharsets.US_ASCII);
                out.writeByte(bytes.length).writeBytes(bytes);
            }
            out.writeByte(0);
            byte[] wire = new byte[out.readableBytes()];
            out.readBytes(wire);
            return wire;
        } finally {
            out.release();
        }
    }
}
