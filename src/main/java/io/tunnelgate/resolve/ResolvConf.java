package io.tunnelgate.resolve;

import io.netty.resolver.dns.DnsServerAddressStreamProvider;
import io.netty.resolver.dns.UnixResolverDnsServerAddressStreamProvider;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What {@code resolver system} takes from resolv.conf: the nameservers (parsed by Netty's
 * {@link UnixResolverDnsServerAddressStreamProvider}, which also honours {@code options rotate}), the
 * search list ({@code search}, else {@code domain}) and the options ndots, timeout and attempts.
 * Netty's own readers of these options are package-private and fixed to /etc/resolv.conf, hence this.
 *
 * @param nameservers     the nameservers, or null when the file names none (or cannot be read)
 * @param searchDomains   search domains, in order
 * @param ndots           {@code options ndots:} (default 1)
 * @param timeoutSeconds  {@code options timeout:} per query (default 5)
 * @param attempts        {@code options attempts:}, which Netty reads as queries per lookup (default 16)
 */
record ResolvConf(DnsServerAddressStreamProvider nameservers, List<String> searchDomains,
                  int ndots, int timeoutSeconds, int attempts) {

    private static final Pattern BLANKS = Pattern.compile("\\s+");

    ResolvConf {
        searchDomains = List.copyOf(searchDomains);
    }

    /** Reads {@code path}; a missing or unreadable file means "no nameserver, no options". */
    static ResolvConf load(Path path) {
        List<String> lines;
        try {
            lines = Files.readAllLines(path, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            lines = List.of();
        }
        String domain = null;
        List<String> search = new ArrayList<>();
        int[] options = {1, 5, 16};
        for (String line : lines) {
            String[] words = BLANKS.split(line.trim());
            switch (words[0]) {
                case "domain" -> domain = words.length > 1 ? words[1] : domain;
                case "search" -> {
                    search.clear();
                    search.addAll(List.of(words).subList(1, words.length));
                }
                case "options" -> readOptions(words, options);
                default -> {
                    // nameserver lines are Netty's; comments, sortlist and the rest do not matter here
                }
            }
        }
        if (search.isEmpty() && domain != null) {
            search.add(domain);
        }
        return new ResolvConf(nameservers(path), search, options[0], options[1], options[2]);
    }

    private static void readOptions(String[] words, int[] options) {
        String[] names = {"ndots:", "timeout:", "attempts:"};
        for (String word : words) {
            for (int i = 0; i < names.length; i++) {
                if (word.startsWith(names[i])) {
                    try {
                        options[i] = Math.max(i == 0 ? 0 : 1, Integer.parseInt(word.substring(names[i].length())));
                    } catch (NumberFormatException ignored) {
                        // glibc ignores a malformed option too
                    }
                }
            }
        }
    }

    private static DnsServerAddressStreamProvider nameservers(Path path) {
        try {
            return new UnixResolverDnsServerAddressStreamProvider(path.toFile());
        } catch (IOException | IllegalArgumentException none) {
            // Netty throws IllegalArgumentException("... didn't provide any name servers").
            return null;
        }
    }
}
