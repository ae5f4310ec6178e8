package io.tunnelgate.http;

import java.util.Locale;

/**
 * The error types of RFC 9209 ({@code Proxy-Status}, section 2.3) that Tunnelgate's proxy
 * failures are reported with; each constant's {@link #token()} is its registered name.
 */
public enum ProxyError {
    /** The resolver gave no answer in time. */
    DNS_TIMEOUT,
    /** The resolver answered with an error, or with no address. */
    DNS_ERROR,
    /** The next hop cannot be determined (a URL whose host is no usable address). */
    DESTINATION_NOT_FOUND,
    /** Every peer of an upstream group is down. */
    DESTINATION_UNAVAILABLE,
    /** {@code destination_deny}: the address is not to be dialled. */
    DESTINATION_IP_PROHIBITED,
    /** The network or host is unreachable (no route). */
    DESTINATION_IP_UNROUTABLE,
    /** The next hop refused the TCP connection. */
    CONNECTION_REFUSED,
    /** The next hop closed the connection before any response byte. */
    CONNECTION_TERMINATED,
    /** The TCP connect did not complete in time. */
    CONNECTION_TIMEOUT,
    /** The next hop sent nothing for the read timeout. */
    CONNECTION_READ_TIMEOUT,
    /** The next hop took nothing of the request for the send timeout. */
    CONNECTION_WRITE_TIMEOUT,
    /** A connection limit ({@code worker_connections}) left no room for the next hop. */
    CONNECTION_LIMIT_REACHED,
    /** A policy of the proxy refused the request (host policy, CONNECT port). */
    HTTP_REQUEST_DENIED,
    /** The response head ended before it was complete. */
    HTTP_RESPONSE_INCOMPLETE,
    /** The response head was larger than {@code proxy_buffer_size}. */
    HTTP_RESPONSE_HEADER_SECTION_SIZE,
    /** The response head could not be parsed. */
    HTTP_PROTOCOL_ERROR,
    /** A local failure (bind, socket) of the proxy. */
    PROXY_INTERNAL_ERROR,
    /** The configuration cannot serve the request (no resolver, an unusable address or URL). */
    PROXY_CONFIGURATION_ERROR;

    private final String token = name().toLowerCase(Locale.ROOT);

    /** The RFC 9209 name, e.g. {@code connection_refused}. */
    public String token() {
        return token;
    }
}
