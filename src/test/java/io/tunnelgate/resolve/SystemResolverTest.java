package io.tunnelgate.resolve;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.netty.channel.ChannelFactory;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.DatagramChannel;
import io.tunnelgate.testsupport.StubDnsServer;
import io.tunnelgate.testsupport.StubDnsServer.Rcode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.tunnelgate.resolve.Lookups.address;
import static io.tunnelgate.resolve.Lookups.failure;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code resolver system;}: hosts file first, then resolv.conf's servers, search list and ndots. */
class SystemResolverTest {

    @TempDir
    Path dir;

    private final List<AutoCloseable> cleanup = new ArrayList<>();
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

    private Resolvers.SystemFiles files(String hosts, String resolvConf) throws IOException {
        Path hostsFile = Files.writeString(dir.resolve("hosts"), hosts);
        Path resolvFile = Files.writeString(dir.resolve("resolv.conf"), resolvConf);
        return new Resolvers.SystemFiles(hostsFile, resolvFile);
    }

    /** resolv.conf naming the stub; Netty reads a port appended to the address after a dot. */
    private String nameserverLine() {
        return "nameserver 127.0.0.1." + dns.address().getPort() + "\n";
    }

    private Resolvers resolvers(Resolvers.SystemFiles files, Duration timeout,
                                ChannelFactory<? extends DatagramChannel> udp) {
        Resolvers resolvers = new Resolvers(ResolverSpec.system(timeout), udp, transport.tcp(), files,
                Resolvers.NGINX_RESEND, System::nanoTime);
        cleanup.add(resolvers);
        return resolvers;
    }

    private NameResolver resolver(Resolvers.SystemFiles files) {
        return resolvers(files, Duration.ofSeconds(5), transport.udp()).forLoop(group.next());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void hostsFileAnswersWithoutAnyQuery(Transport t) throws Exception {
        start(t);
        dns.a("myhost.test", "127.0.0.99");
        NameResolver resolver = resolver(files("127.0.0.21 myhost.test alias.test\n::1 myhost.test\n",
                nameserverLine()));
        Set<InetAddress> seen = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            seen.add(address(resolver.resolve(i % 2 == 0 ? "myhost.test" : "MyHost.Test.")));
        }
        assertThat(seen).containsExactlyInAnyOrder(InetAddress.getByName("127.0.0.21"), InetAddress.getByName("::1"));
        assertThat(address(resolver.resolve("alias.test"))).isEqualTo(InetAddress.getByName("127.0.0.21"));
        assertThat(dns.totalQueries()).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void otherNamesGoToResolvConfsNameserverAndAreCachedForAllLoops(Transport t) throws Exception {
        start(t);
        dns.a("remote.test", "127.0.0.22");
        Resolvers resolvers = resolvers(files("", nameserverLine()), Duration.ofSeconds(5), t.udp());
        assertThat(address(resolvers.forLoop(group.next()).resolve("remote.test")))
                .isEqualTo(InetAddress.getByName("127.0.0.22"));
        assertThat(address(resolvers.forLoop(group.next()).resolve("remote.test")))
                .isEqualTo(InetAddress.getByName("127.0.0.22"));
        assertThat(dns.queries("remote.test", "A")).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void searchDomainsApplyToShortNamesButNotToAbsoluteOnes(Transport t) throws Exception {
        start(t);
        dns.a("intranet.corp.test", "127.0.0.23");
        NameResolver resolver = resolver(files("", "search corp.test\noptions ndots:1\n" + nameserverLine()));
        assertThat(address(resolver.resolve("intranet"))).isEqualTo(InetAddress.getByName("127.0.0.23"));
        assertThat(failure(resolver.resolve("intranet.")).code()).isEqualTo(3);
        assertThat(dns.queries("intranet.corp.test", "A")).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void dnsErrorsMapToNginxCodes(Transport t) throws Exception {
        start(t);
        dns.rcode("gone.test", Rcode.NXDOMAIN).rcode("broken.test", Rcode.SERVFAIL);
        NameResolver resolver = resolver(files("", nameserverLine()));
        assertThat(failure(resolver.resolve("gone.test")).getMessage()).isEqualTo("3: Host not found");
        assertThat(failure(resolver.resolve("broken.test")).getMessage()).isEqualTo("2: Server failure");
        assertThat(failure(resolver.resolve("empty.test")).getMessage()).isEqualTo("3: Host not found");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void unansweredLookupTimesOutWithCode110(Transport t) throws Exception {
        start(t);
        dns.drop("silent.test");
        NameResolver resolver = resolvers(files("", nameserverLine()), Duration.ofMillis(300), t.udp())
                .forLoop(group.next());
        long begin = System.nanoTime();
        assertThat(failure(resolver.resolve("silent.test")).getMessage()).isEqualTo("110: Operation timed out");
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin)).isBetween(250L, 2_000L);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void withoutNameserverOnlyTheHostsFileWorksAndNothingIsSent(Transport t) throws Exception {
        start(t);
        Logger log = (Logger) LoggerFactory.getLogger(SystemEngine.class);
        ListAppender<ILoggingEvent> warnings = new ListAppender<>();
        warnings.start();
        log.addAppender(warnings);
        try {
            AtomicInteger sockets = new AtomicInteger();
            ChannelFactory<DatagramChannel> counting = () -> {
                sockets.incrementAndGet();
                return t.udp().newChannel();
            };
            Resolvers resolvers = resolvers(files("127.0.0.24 listed.test\n", "search corp.test\n"),
                    Duration.ofSeconds(5), counting);
            for (int i = 0; i < 3; i++) {
                NameResolver resolver = resolvers.forLoop(group.next());
                assertThat(address(resolver.resolve("listed.test"))).isEqualTo(InetAddress.getByName("127.0.0.24"));
                ResolveException e = failure(resolver.resolve("unlisted.test"));
                assertThat(e.code()).isEqualTo(2);
                assertThat(e.text()).isEqualTo("Server failure");
            }
            assertThat(sockets).hasValue(0);
            assertThat(warnings.list).singleElement().satisfies(w -> {
                assertThat(w.getLevel()).isEqualTo(Level.WARN);
                assertThat(w.getFormattedMessage()).contains("names no nameserver").contains("Server failure");
            });
        } finally {
            log.detachAppender(warnings);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void missingResolvConfIsLikeOneWithoutNameserver(Transport t) throws Exception {
        start(t);
        Resolvers.SystemFiles files = new Resolvers.SystemFiles(dir.resolve("no-hosts"), dir.resolve("no-resolv.conf"));
        NameResolver resolver = resolver(files);
        assertThat(failure(resolver.resolve("anything.test")).getMessage()).isEqualTo("2: Server failure");
        assertThat(dns.totalQueries()).isZero();
    }
}
