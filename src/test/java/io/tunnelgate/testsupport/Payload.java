package io.tunnelgate.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.function.LongConsumer;

/**
 * Deterministic pseudo-random byte streams for transfer tests, and SHA-256 helpers to compare both ends.
 *
 * <p>The stream for a {@code (size, seed)} pair is always the same bytes, whatever the read sizes, so a sender
 * and {@link #sha256(long, long)} agree without keeping the data in memory.
 */
public final class Payload {

    /** Seed used by the origins when none is given. */
    public static final long DEFAULT_SEED = 0x7e57_5eedL;

    /** Generation block; the stream is a concatenation of these, so it does not depend on read sizes. */
    private static final int BLOCK = 64 * 1024;

    private Payload() {
    }

    /** {@code size} deterministic bytes as an array. */
    public static byte[] bytes(int size, long seed) {
        try (InputStream in = stream(size, seed)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code size} deterministic bytes as a stream (generated on the fly). */
    public static InputStream stream(long size, long seed) {
        return new PayloadStream(size, seed);
    }

    /** Writes {@code size} deterministic bytes to {@code out} (does not flush or close it). */
    public static void writeTo(OutputStream out, long size, long seed) throws IOException {
        try (InputStream in = stream(size, seed)) {
            in.transferTo(out);
        }
    }

    /** Hex SHA-256 of the stream {@code (size, seed)}. */
    public static String sha256(long size, long seed) {
        MessageDigest digest = newSha256();
        byte[] buf = new byte[BLOCK];
        try (InputStream in = stream(size, seed)) {
            for (int n; (n = in.read(buf)) != -1; ) {
                digest.update(buf, 0, n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** Hex SHA-256 of {@code data}. */
    public static String sha256(byte[] data) {
        return HexFormat.of().formatHex(newSha256().digest(data));
    }

    /** Reads {@code in} to EOF, returning the byte count and hex SHA-256 (does not close it). */
    public static Received digest(InputStream in) throws IOException {
        return digest(in, Long.MAX_VALUE, n -> { });
    }

    /**
     * Reads up to {@code limit} bytes (fewer at EOF), returning the count and hex SHA-256; {@code progress}
     * gets each chunk's size as it arrives.
     */
    static Received digest(InputStream in, long limit, LongConsumer progress) throws IOException {
        MessageDigest digest = newSha256();
        byte[] buf = new byte[BLOCK];
        long total = 0;
        while (total < limit) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, limit - total));
            if (n == -1) {
                break;
            }
            digest.update(buf, 0, n);
            total += n;
            progress.accept(n);
        }
        return new Received(total, HexFormat.of().formatHex(digest.digest()));
    }

    static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** Generates {@link #BLOCK}-sized blocks from a seeded generator and serves them. */
    private static final class PayloadStream extends InputStream {
        private final SplittableRandom random;
        private final byte[] block = new byte[BLOCK];
        private long remaining;
        private int pos = BLOCK;

        PayloadStream(long size, long seed) {
            if (size < 0) {
                throw new IllegalArgumentException("size < 0: " + size);
            }
            this.random = new SplittableRandom(seed);
            this.remaining = size;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            if (remaining == 0) {
                return -1;
            }
            if (pos == BLOCK) {
                random.nextBytes(block);
                pos = 0;
            }
            int n = (int) Math.min(Math.min(len, BLOCK - pos), remaining);
            System.arraycopy(block, pos, b, off, n);
            pos += n;
            remaining -= n;
            return n;
        }
    }
}
