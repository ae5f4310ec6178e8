package io.tunnelgate.resolve;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.dns.DefaultDnsRecordDecoder;
import io.netty.handler.codec.dns.DnsRawRecord;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponse;
import io.netty.handler.codec.dns.DnsSection;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one A or AAAA reply said, reduced to what nginx's algorithm needs. Copies everything out of the
 * response, so the caller can release it at once.
 *
 * @param rcode     the DNS RCODE (0 = NOERROR)
 * @param addresses addresses of the asked type owned by the name or by the CNAME chain the reply carries
 * @param cname     where the reply's CNAME chain ends, or null when it has none
 * @param ttl       the smallest TTL of the records used; {@link Long#MAX_VALUE} when none were
 */
record Reply(int rcode, List<InetAddress> addresses, String cname, long ttl) {

    /** A CNAME chain inside one reply longer than this is treated as broken. */
    private static final int MAX_CHAIN = 16;

    static Reply parse(DnsResponse response, DnsRecordType type, String name) {
        int rcode = response.code().intValue();
        if (rcode != 0) {
            return new Reply(rcode, List.of(), null, Long.MAX_VALUE);
        }
        int count = response.count(DnsSection.ANSWER);
        Map<String, DnsRecord> cnames = new HashMap<>();
        for (int i = 0; i < count; i++) {
            DnsRecord r = response.recordAt(DnsSection.ANSWER, i);
            if (r.type() == DnsRecordType.CNAME && r.dnsClass() == DnsRecord.CLASS_IN) {
                cnames.put(Names.normalize(r.name()), r);
            }
        }
        long ttl = Long.MAX_VALUE;
        Set<String> owners = new HashSet<>();
        String end = name;
        owners.add(end);
        for (int hop = 0; hop < MAX_CHAIN && cnames.containsKey(end); hop++) {
            DnsRecord link = cnames.get(end);
            String target = cnameTarget(link);
            if (target == null || !owners.add(target)) {
                break;
            }
            ttl = Math.min(ttl, link.timeToLive());
            end = target;
        }
        List<InetAddress> addresses = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            DnsRecord r = response.recordAt(DnsSection.ANSWER, i);
            if (r.type() == type && r.dnsClass() == DnsRecord.CLASS_IN && owners.contains(Names.normalize(r.name()))) {
                InetAddress address = address(r, type);
                if (address != null) {
                    addresses.add(address);
                    ttl = Math.min(ttl, r.timeToLive());
                }
            }
        }
        return new Reply(0, addresses, end.equals(name) ? null : end, Math.max(0, ttl));
    }

    private static String cnameTarget(DnsRecord record) {
        if (!(record instanceof DnsRawRecord raw)) {
            return null;
        }
        try {
            // Netty decompresses CNAME RDATA while decoding, so the name reads without the message.
            return Names.normalize(DefaultDnsRecordDecoder.decodeName(raw.content().duplicate()));
        } catch (RuntimeException malformed) {
            return null;
        }
    }

    private static InetAddress address(DnsRecord record, DnsRecordType type) {
        if (!(record instanceof DnsRawRecord raw)) {
            return null;
        }
        ByteBuf content = raw.content();
        int expected = type == DnsRecordType.A ? 4 : 16;
        if (content.readableBytes() != expected) {
            return null;
        }
        byte[] bytes = new byte[expected];
        content.getBytes(content.readerIndex(), bytes);
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException impossible) {
            return null;
        }
    }
}
