package io.tunnelgate.http;

/**
 * Parses request-targets as strictly as nginx: the CONNECT authority per the proxy_connect core
 * patch (spec §3.1), absolute-form and origin-form URIs per nginx's request-line parser.
 */
final class TargetParser {
    private TargetParser() {
    }

    /**
     * {@code host:port} of a CONNECT: a reg-name of {@code [A-Za-z0-9.-]} or a bracketed literal,
     * a required colon and a port 1-65535 of digits only.
     */
    static RequestTarget connect(String target) throws BadRequestException {
        int i = 0;
        int n = target.length();
        if (n == 0) {
            throw invalidHost();
        }
        if (target.charAt(0) == '[') {
            i = 1;
            while (i < n && target.charAt(i) != ']') {
                if (!isLiteralChar(target.charAt(i))) {
                    throw invalidHost();
                }
                i++;
            }
            if (i == n) {
                throw invalidHost();
            }
            i++;
        } else {
            while (i < n && target.charAt(i) != ':') {
                char c = target.charAt(i);
                if (!(isAlnum(c) || c == '.' || c == '-')) {
                    throw invalidHost();
                }
                i++;
            }
        }
        if (i == 0 || i == n || target.charAt(i) != ':') {
            throw invalidHost();
        }
        String rawHost = target.substring(0, i);
        String portText = target.substring(i + 1);
        int port = parsePort(portText);
        if (port <= 0) {
            throw new BadRequestException(400, "client sent invalid port in request line");
        }
        String host = HostNames.validate(rawHost);
        if (host == null) {
            throw invalidHost();
        }
        return new RequestTarget(RequestTarget.Form.AUTHORITY, host, portText, port, "", "", "");
    }

    /** An origin-form ({@code /p?q}) or absolute-form ({@code http://h:p/p?q}) target. */
    static RequestTarget uri(String target) throws BadRequestException {
        if (target.startsWith("/")) {
            return originForm(target, 0, RequestTarget.Form.ORIGIN, null, null, 0);
        }
        int schemeEnd = 0;
        while (schemeEnd < target.length() && isAlpha(target.charAt(schemeEnd))) {
            schemeEnd++;
        }
        if (schemeEnd == 0 || !target.startsWith("://", schemeEnd)) {
            throw new BadRequestException(400, "client sent invalid request");
        }
        int hostStart = schemeEnd + 3;
        int pathStart = hostStart;
        while (pathStart < target.length() && target.charAt(pathStart) != '/'
                && target.charAt(pathStart) != '?') {
            pathStart++;
        }
        int hostEnd = authorityHostEnd(target, hostStart, pathStart);
        String portText = null;
        int port = 80;
        if (hostEnd < pathStart) {
            portText = target.substring(hostEnd + 1, pathStart);
            port = portText.isEmpty() ? 80 : parsePort(portText);
            if (port <= 0) {
                throw new BadRequestException(400, "client sent invalid request");
            }
        }
        String host = HostNames.validate(target.substring(hostStart, hostEnd));
        if (host == null) {
            throw new BadRequestException(400, "client sent invalid host in request line");
        }
        return originForm(target, pathStart, RequestTarget.Form.ABSOLUTE, host, portText, port);
    }

    /**
     * The path and arguments of {@code uri} from {@code from} on; an absolute-form URI's path may
     * be empty or start with {@code ?}, and is {@code /} then.
     */
    private static RequestTarget originForm(String uri, int from, RequestTarget.Form form, String host,
                                            String portText, int port) throws BadRequestException {
        int q = uri.indexOf('?', from);
        int pathEnd = q < 0 ? uri.length() : q;
        String path = pathEnd == from ? "/" : uri.substring(from, pathEnd);
        String args = q < 0 ? "" : uri.substring(q + 1);
        String normalized = UriPaths.normalize(path);
        if (normalized == null) {
            throw new BadRequestException(400, "client sent invalid request");
        }
        return new RequestTarget(form, host, portText, port, path, args, normalized);
    }

    /**
     * Where the host of the absolute-form authority {@code s[from, to)} ends: a bracketed literal
     * or a reg-name of {@code [A-Za-z0-9.-]}, followed by nothing or {@code :}.
     */
    private static int authorityHostEnd(String s, int from, int to) throws BadRequestException {
        int i = from;
        if (from < to && s.charAt(from) == '[') {
            i = s.indexOf(']', from);
            if (i < 0 || i >= to) {
                throw new BadRequestException(400, "client sent invalid request");
            }
            for (int k = from + 1; k < i; k++) {
                if (!isLiteralChar(s.charAt(k))) {
                    throw new BadRequestException(400, "client sent invalid request");
                }
            }
            i++;
        } else {
            while (i < to && (isAlnum(s.charAt(i)) || s.charAt(i) == '.' || s.charAt(i) == '-')) {
                i++;
            }
        }
        if (i == from || i < to && s.charAt(i) != ':') {
            throw new BadRequestException(400, "client sent invalid request");
        }
        return i;
    }

    /** Digits only, 1-65535; -1 (or 0) otherwise. */
    static int parsePort(String s) {
        if (s.isEmpty() || s.length() > 10) {
            return -1;
        }
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v > 65535 ? -1 : (int) v;
    }

    private static BadRequestException invalidHost() {
        return new BadRequestException(400, "client sent invalid host in request line");
    }

    private static boolean isAlpha(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
    }

    private static boolean isAlnum(char c) {
        return isAlpha(c) || c >= '0' && c <= '9';
    }

    /** Inside {@code [...]}: letters, digits, ':' and RFC 3986 unreserved and sub-delims characters. */
    private static boolean isLiteralChar(char c) {
        return isAlnum(c) || ":-._~!$&'()*+,;=".indexOf(c) >= 0;
    }
}
