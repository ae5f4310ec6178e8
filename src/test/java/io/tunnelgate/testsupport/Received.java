package io.tunnelgate.testsupport;

/**
 * What one side read from a stream: the byte count and the lower-case hex SHA-256 of those bytes.
 *
 * @param bytes  number of bytes read
 * @param sha256 lower-case hex SHA-256 of the bytes
 */
public record Received(long bytes, String sha256) {
}
