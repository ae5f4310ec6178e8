package io.tunnelgate.resolve;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.Future;
import io.tunnelgate.testsupport.StubDnsServer;
import io.tunnelgate.testsupport.StubDnsServer.Rcode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static io.tunnelgate.resolve.Lookups.address;
import static io.tunnelgate.resolve.Lookups.failure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** A configured {@code resolver address ...}: nginx semantics against a stub DNS server on loopback. */
class NginxResolverTest {

    private final List<AutoCloseable> cleanup = new ArrayList<>();
    /** The cache clock, moved by the tests; timers (resend, timeout) use real time. */
    private final AtomicLong clock = new AtomicLong();
    private EventLoopGroup group;
    private StubDnsServer dns;
    private Transport transport;

    static List<Transport> transports() {
        return Transport.all();
    }

    private void start(Transport t) {
        transport = t;
        group = t.newGroup(2);
        dns = StubDnsServer.start();
        cleanup.add(dns);
    }

    @AfterEach
    void tearDown() throws Exception {
        for (int i = cleanup.size() - 1; i >= 0; i--) {
            cleanup.get(i).close();
        }
        if (group != null) {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).syncUninterruptibly();
        }
    }

    private Resolvers resolvers(Duration timeout, Duration resend, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        if (all.stream().noneMatch(a -> a.startsWith("127.0.0.1:"))) {
            all.add(0, "127.0.0.1:" + dns.address().getPort());
        }
        Resolvers resolvers = new Resolvers(ResolverSpec.parse(all, timeout), transport.udp(), transport.tcp(),
                Resolvers.SystemFiles.OS, resend, clock::get);
        cleanup.add(resolvers);
        return resolvers;
    }

    private NameResolver resolver(String... args) {
        return resolvers(Duration.ofSeconds(5), Resolvers.NGINX_RESEND, args).forLoop(group.next());
    }

    private void advanceSeconds(long seconds) {
        clock.addAndGet(TimeUnit.SECONDS.toNanos(seconds));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void aRecordAlone(Transport t) throws Exception {
        start(t);
        dns.a("one.test", "127.0.0.2");
        assertThat(address(resolver().resolve("one.test"))).isEqualTo(InetAddress.getByName("127.0.0.2"));
        assertThat(dns.queries("one.test", "A")).isEqualTo(1);
        assertThat(dns.queries("one.test", "AAAA")).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void bothFamiliesMergedAndOnePickedAtRandom(Transport t) throws Exception {
        start(t);
        dns.a("dual.test", "127.0.0.3").aaaa("dual.test", "::1");
        NameResolver resolver = resolver();
        Set<InetAddress> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            seen.add(address(resolver.resolve("dual.test")));
        }
        assertThat(seen).containsExactlyInAnyOrder(InetAddress.getByName("127.0.0.3"), InetAddress.getByName("::1"));
        assertThat(dns.queries("dual.test", "A")).isEqualTo(1);
        assertThat(dns.queries("dual.test", "AAAA")).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void resolveAllGivesEveryAddressAThenAaaa(Transport t) throws Exception {
        start(t);
        dns.a("many.test", "127.0.0.2", "127.0.0.1").aaaa("many.test", "::1");
        Future<List<InetAddress>> all = resolver().resolveAll("many.test");
        assertThat(all.awaitUninterruptibly(5, TimeUnit.SECONDS)).isTrue();
        assertThat(all.getNow()).containsExactly(InetAddress.getByName("127.0.0.2"),
                InetAddress.getByName("127.0.0.1"), InetAddress.getByName("::1"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void ipv6OffAsksOnlyForA(Transport t) throws Exception {
        start(t);
        dns.a("dual.test", "127.0.0.4").aaaa("dual.test", "::1");
        NameResolver resolver = resolver("ipv6=off");
        for (int i = 0; i < 50; i++) {
            assertThat(address(resolver.resolve("dual.test"))).isEqualTo(InetAddress.getByName("127.0.0.4"));
        }
        assertThat(dns.queries("dual.test", "A")).isEqualTo(1);
        assertThat(dns.queries("dual.test", "AAAA")).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void ipv4OffAsksOnlyForAaaa(Transport t) throws Exception {
        start(t);
        dns.a("dual.test", "127.0.0.4").aaaa("dual.test", "::1");
        assertThat(address(resolver("ipv4=off").resolve("dual.test"))).isEqualTo(InetAddress.getByName("::1"));
        assertThat(dns.queries("dual.test", "A")).isZero();
        assertThat(dns.queries("dual.test", "AAAA")).isEqualTo(1);
    }

    static Stream<Arguments> errorAnswers() {
        return Transport.all().stream().flatMap(t -> Stream.of(
                Arguments.of(t, Rcode.NXDOMAIN, 3, "Host not found"),
                Arguments.of(t, Rcode.SERVFAIL, 2, "Server failure"),
                Arguments.of(t, Rcode.REFUSED, 5, "Operation refused"),
                Arguments.of(t, Rcode.FORMERR, 1, "Format error"),
                Arguments.of(t, Rcode.NOTIMP, 4, "Unimplemented")));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("errorAnswers")
    void errorRcodesMapToNginxCodes(Transport t, Rcode rcode, int code, String text) {
        start(t);
        dns.rcode("bad.test", rcode);
        ResolveException e = failure(resolver().resolve("bad.test"));
        assertThat(e.code()).isEqualTo(code);
        assertThat(e.text()).isEqualTo(text);
        assertThat(e.getMessage()).isEqualTo(code + ": " + text);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void noErrorWithoutRecordsIsHostNotFound(Transport t) {
        start(t);
        ResolveException e = failure(resolver().resolve("unknown.test"));
        assertThat(e.getMessage()).isEqualTo("3: Host not found");
        assertThat(dns.queries("unknown.test", "A")).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void unansweredLookupTimesOutWithCode110(Transport t) {
        start(t);
        dns.drop("silent.test");
        NameResolver resolver = resolvers(Duration.ofMillis(300), Resolvers.NGINX_RESEND).forLoop(group.next());
        long begin = System.nanoTime();
        ResolveException e = failure(resolver.resolve("silent.test"));
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);
        assertThat(e.getMessage()).isEqualTo("110: Operation timed out");
        assertThat(tookMillis).isBetween(250L, 2_000L);
        assertThat(dns.queries("silent.test", "A")).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void answersAreCachedForTheirTtl(Transport t) throws Exception {
        start(t);
        dns.a("cached.test", "127.0.0.5").ttl("cached.test", 60);
        NameResolver resolver = resolver();
        address(resolver.resolve("cached.test"));
        advanceSeconds(59);
        address(resolver.resolve("Cached.Test."));
        assertThat(dns.queries("cached.test", "A")).isEqualTo(1);
        advanceSeconds(1);
        assertThat(address(resolver.resolve("cached.test"))).isEqualTo(InetAddress.getByName("127.0.0.5"));
        assertThat(dns.queries("cached.test", "A")).isEqualTo(2);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void validOutlivesAShortTtl(Transport t) {
        start(t);
        dns.a("short.test", "127.0.0.6").ttl("short.test", 1);
        NameResolver resolver = resolver("valid=60s");
        address(resolver.resolve("short.test"));
        advanceSeconds(30);
        address(resolver.resolve("short.test"));
        assertThat(dns.queries("short.test", "A")).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void validCutsALongTtl(Transport t) {
        start(t);
        dns.a("long.test", "127.0.0.6").ttl("long.test", 3600);
        NameResolver resolver = resolver("valid=5s");
        address(resolver.resolve("long.test"));
        advanceSeconds(5);
        address(resolver.resolve("long.test"));
        assertThat(dns.queries("long.test", "A")).isEqualTo(2);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void theSmallestTtlOfTheChainCounts(Transport t) {
        start(t);
        dns.cname("www.test", "edge.test").ttl("www.test", 5).a("edge.test", "127.0.0.7").ttl("edge.test", 100);
        NameResolver resolver = resolver();
        address(resolver.resolve("www.test"));
        advanceSeconds(4);
        address(resolver.resolve("www.test"));
        assertThat(dns.queries("www.test", "A")).isEqualTo(1);
        advanceSeconds(1);
        address(resolver.resolve("www.test"));
        assertThat(dns.queries("www.test", "A")).isEqualTo(2);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void errorsAreNotCached(Transport t) throws Exception {
        start(t);
        dns.rcode("flaky.test", Rcode.SERVFAIL);
        NameResolver resolver = resolver();
        assertThat(failure(resolver.resolve("flaky.test")).code()).isEqualTo(2);
        assertThat(failure(resolver.resolve("flaky.test")).code()).isEqualTo(2);
        assertThat(dns.queries("flaky.test", "A")).isEqualTo(2);
        dns.forget("flaky.test").a("flaky.test", "127.0.0.8");
        assertThat(address(resolver.resolve("flaky.test"))).isEqualTo(InetAddress.getByName("127.0.0.8"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void cnameChainInOneAnswer(Transport t) throws Exception {
        start(t);
        dns.cname("www.test", "mid.test").cname("mid.test", "edge.test").a("edge.test", "127.0.0.9");
        assertThat(address(resolver("ipv6=off").resolve("www.test"))).isEqualTo(InetAddress.getByName("127.0.0.9"));
        assertThat(dns.queries("edge.test")).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void cnameWithoutAddressesIsFollowedWithNewQueries(Transport t) throws Exception {
        start(t);
        dns.cnameOnly("alias.test", "target.test").a("target.test", "127.0.0.10").aaaa("target.test", "::1");
        NameResolver resolver = resolver();
        Set<InetAddress> seen = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            seen.add(address(resolver.resolve("alias.test")));
        }
        assertThat(seen).containsExactlyInAnyOrder(InetAddress.getByName("127.0.0.10"), InetAddress.getByName("::1"));
        assertThat(dns.queries("target.test", "A")).isEqualTo(1);
        assertThat(dns.queries("target.test", "AAAA")).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void cnameLoopEndsAsHostNotFound(Transport t) {
        start(t);
        dns.cnameOnly("loop1.test", "loop2.test").cnameOnly("loop2.test", "loop1.test");
        assertThat(failure(resolver("ipv6=off").resolve("loop1.test")).code()).isEqualTo(3);
        assertThat(dns.queries("loop1.test", "A") + dns.queries("loop2.test", "A"))
                .isEqualTo(NginxEngine.MAX_CNAME_HOPS + 1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void localhostIsAskedLikeAnyOtherName(Transport t) throws Exception {
        start(t);
        dns.a("localhost", "127.0.0.11");
        assertThat(address(resolver().resolve("localhost"))).isEqualTo(InetAddress.getByName("127.0.0.11"));
        assertThat(dns.queries("localhost", "A")).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void truncatedReplyIsRetriedOverTcp(Transport t) throws Exception {
        start(t);
        dns.truncate("big.test").a("big.test", "127.0.0.12");
        assertThat(address(resolver("ipv6=off").resolve("big.test"))).isEqualTo(InetAddress.getByName("127.0.0.12"));
        assertThat(dns.tcpQueries("big.test", "A")).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void concurrentLookupsOfOneNameShareTheQueries(Transport t) throws Exception {
        start(t);
        CompletableFuture<Void> release = dns.hold("slow.test");
        dns.a("slow.test", "127.0.0.13");
        NameResolver resolver = resolver("ipv6=off");
        List<Future<InetAddress>> lookups = List.of(resolver.resolve("slow.test"), resolver.resolve("slow.test"),
                resolver.resolve("SLOW.test"));
        await().atMost(Duration.ofSeconds(5)).until(() -> dns.queries("slow.test", "A") == 1);
        assertThat(lookups).noneMatch(Future::isDone);
        release.complete(null);
        for (Future<InetAddress> lookup : lookups) {
            assertThat(address(lookup)).isEqualTo(InetAddress.getByName("127.0.0.13"));
        }
        assertThat(dns.queries("slow.test", "A")).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void lookupsCompleteOnTheResolversLoop(Transport t) throws Exception {
        start(t);
        dns.a("loop.test", "127.0.0.14");
        EventLoop loop = group.next();
        NameResolver resolver = resolvers(Duration.ofSeconds(5), Resolvers.NGINX_RESEND).forLoop(loop);
        CompletableFuture<Boolean> fromOutside = new CompletableFuture<>();
        resolver.resolve("loop.test").addListener(f -> fromOutside.complete(f.isSuccess() && loop.inEventLoop()));
        assertThat(fromOutside.get(5, TimeUnit.SECONDS)).isTrue();
        advanceSeconds(60);
        CompletableFuture<Boolean> fromInside = new CompletableFuture<>();
        loop.execute(() -> resolver.resolve("loop.test")
                .addListener(f -> fromInside.complete(f.isSuccess() && loop.inEventLoop())));
        assertThat(fromInside.get(5, TimeUnit.SECONDS)).isTrue();
        assertThat(dns.queries("loop.test", "A")).isEqualTo(2);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void serversTakeTurnsLookupByLookup(Transport t) {
        start(t);
        StubDnsServer second = StubDnsServer.start();
        cleanup.add(second);
        for (StubDnsServer server : List.of(dns, second)) {
            for (int i = 0; i < 4; i++) {
                server.a("n" + i + ".test", "127.0.0.15");
            }
        }
        NameResolver resolver = resolver("127.0.0.1:" + dns.address().getPort(),
                "127.0.0.1:" + second.address().getPort(), "ipv6=off");
        for (int i = 0; i < 4; i++) {
            address(resolver.resolve("n" + i + ".test"));
        }
        assertThat(List.of(dns.queries("n0.test"), dns.queries("n1.test"), dns.queries("n2.test"),
                dns.queries("n3.test"))).containsExactly(1, 0, 1, 0);
        assertThat(List.of(second.queries("n0.test"), second.queries("n1.test"), second.queries("n2.test"),
                second.queries("n3.test"))).containsExactly(0, 1, 0, 1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void unansweredQueryIsResentToTheNextServer(Transport t) throws Exception {
        start(t);
        StubDnsServer second = StubDnsServer.start();
        cleanup.add(second);
        dns.drop("failover.test");
        second.a("failover.test", "127.0.0.16");
        NameResolver resolver = resolvers(Duration.ofSeconds(5), Duration.ofMillis(100),
                "127.0.0.1:" + dns.address().getPort(), "127.0.0.1:" + second.address().getPort(), "ipv6=off")
                .forLoop(group.next());
        assertThat(address(resolver.resolve("failover.test"))).isEqualTo(InetAddress.getByName("127.0.0.16"));
        assertThat(dns.queries("failover.test", "A")).isEqualTo(1);
        assertThat(second.queries("failover.test", "A")).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void loopsShareOneCacheButHaveTheirOwnResolver(Transport t) {
        start(t);
        dns.a("shared.test", "127.0.0.17");
        Resolvers resolvers = resolvers(Duration.ofSeconds(5), Resolvers.NGINX_RESEND, "ipv6=off");
        EventLoop first = group.next();
        EventLoop second = group.next();
        assertThat(first).isNotSameAs(second);
        assertThat(resolvers.forLoop(first)).isSameAs(resolvers.forLoop(first)).isNotSameAs(resolvers.forLoop(second));
        address(resolvers.forLoop(first).resolve("shared.test"));
        address(resolvers.forLoop(second).resolve("shared.test"));
        assertThat(dns.queries("shared.test", "A")).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void literalsNeedNoQueryAndMalformedNamesAreNotFound(Transport t) throws Exception {
        start(t);
        NameResolver resolver = resolver();
        assertThat(address(resolver.resolve("127.0.0.01"))).isEqualTo(InetAddress.getByName("127.0.0.1"));
        assertThat(address(resolver.resolve("[::1]"))).isEqualTo(InetAddress.getByName("::1"));
        assertThat(failure(resolver.resolve("a..test")).code()).isEqualTo(3);
        assertThat(failure(resolver.resolve("")).code()).isEqualTo(3);
        assertThat(failure(resolver.resolve("x".repeat(64) + ".test")).code()).isEqualTo(3);
        assertThat(dns.totalQueries()).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void closedResolversRefuseNewLoops(Transport t) {
        start(t);
        Resolvers resolvers = resolvers(Duration.ofSeconds(5), Resolvers.NGINX_RESEND);
        resolvers.forLoop(group.next());
        resolvers.close();
        assertThatThrownBy(() -> resolvers.forLoop(group.next()))
                .isInstanceOf(IllegalStateException.class);
    }
}
