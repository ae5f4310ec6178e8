package io.tunnelgate.auth;

import at.favre.lib.crypto.bcrypt.BCrypt;
import at.favre.lib.crypto.bcrypt.LongPasswordStrategies;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Pattern;
import org.apache.commons.codec.digest.Md5Crypt;
import org.apache.commons.codec.digest.Sha2Crypt;

/**
 * One user's stored password from an htpasswd file, in one of the formats nginx's
 * {@code ngx_crypt} (with the system's crypt(3)) accepts: bcrypt ({@code $2y$}, {@code $2a$},
 * {@code $2b$}), Apache MD5 ({@code $apr1$}), MD5-crypt ({@code $1$}), SHA-crypt ({@code $5$},
 * {@code $6$}), {@code {SHA}}, {@code {SSHA}} and {@code {PLAIN}}. The shape is checked when the
 * file is read, so that a typo fails the load rather than every login.
 *
 * <p>Every comparison is constant-time in the compared bytes. The crypt functions run for as
 * long as their format says (bcrypt's cost); callers run {@link #matches} off the event loops.
 */
final class PasswordHash {
    /** The stored formats. */
    enum Scheme {
        BCRYPT, APR1, MD5_CRYPT, SHA256_CRYPT, SHA512_CRYPT, SHA1, SALTED_SHA1, PLAIN
    }

    private static final String B64 = "[./0-9A-Za-z]";
    private static final Pattern BCRYPT_SHAPE =
            Pattern.compile("\\$2[aby]\\$(0[4-9]|[12][0-9]|3[01])\\$" + B64 + "{53}");
    private static final Pattern APR1_SHAPE = Pattern.compile("\\$apr1\\$" + B64 + "{1,8}\\$" + B64 + "{22}");
    private static final Pattern MD5_SHAPE = Pattern.compile("\\$1\\$" + B64 + "{1,8}\\$" + B64 + "{22}");
    private static final Pattern SHA256_SHAPE =
            Pattern.compile("\\$5\\$(rounds=[0-9]{1,9}\\$)?" + B64 + "{1,16}\\$" + B64 + "{43}");
    private static final Pattern SHA512_SHAPE =
            Pattern.compile("\\$6\\$(rounds=[0-9]{1,9}\\$)?" + B64 + "{1,16}\\$" + B64 + "{86}");
    private static final int SHA1_LENGTH = 20;
    /**
     * bcrypt reads at most 72 bytes of a password; htpasswd and crypt(3) drop the rest, and so
     * does this (the library's default is to refuse longer passwords).
     */
    private static final BCrypt.Verifyer BCRYPT = BCrypt.verifyer(BCrypt.Version.VERSION_2A,
            LongPasswordStrategies.truncate(BCrypt.Version.VERSION_2A));

    private final Scheme scheme;
    private final String stored;
    private final byte[] material;

    private PasswordHash(Scheme scheme, String stored, byte[] material) {
        this.scheme = scheme;
        this.stored = stored;
        this.material = material;
    }

    /** A stored hash that cannot be used, with what is wrong. */
    static final class InvalidHash extends Exception {
        private static final long serialVersionUID = 1L;

        InvalidHash(String reason) {
            super(reason, null, false, false);
        }
    }

    /**
     * Reads the password field of an htpasswd line (ISO-8859-1 text of its bytes).
     *
     * @throws InvalidHash {@code unsupported password hash format} for a format not listed above
     *     (old DES crypt included), {@code malformed ... password hash} for a known one that is
     *     cut or damaged
     */
    static PasswordHash parse(String stored) throws InvalidHash {
        if (stored.startsWith("$2a$") || stored.startsWith("$2b$") || stored.startsWith("$2y$")) {
            return shaped(Scheme.BCRYPT, stored, BCRYPT_SHAPE, "bcrypt");
        }
        if (stored.startsWith("$apr1$")) {
            return shaped(Scheme.APR1, stored, APR1_SHAPE, "$apr1$");
        }
        if (stored.startsWith("$1$")) {
            return shaped(Scheme.MD5_CRYPT, stored, MD5_SHAPE, "$1$");
        }
        if (stored.startsWith("$5$")) {
            return shaped(Scheme.SHA256_CRYPT, stored, SHA256_SHAPE, "$5$");
        }
        if (stored.startsWith("$6$")) {
            return shaped(Scheme.SHA512_CRYPT, stored, SHA512_SHAPE, "$6$");
        }
        if (stored.startsWith("{SHA}")) {
            byte[] digest = base64(stored.substring(5), "{SHA}");
            if (digest.length != SHA1_LENGTH) {
                throw new InvalidHash("malformed {SHA} password hash");
            }
            return new PasswordHash(Scheme.SHA1, stored, digest);
        }
        if (stored.startsWith("{SSHA}")) {
            byte[] digestAndSalt = base64(stored.substring(6), "{SSHA}");
            if (digestAndSalt.length <= SHA1_LENGTH) {
                throw new InvalidHash("malformed {SSHA} password hash");
            }
            return new PasswordHash(Scheme.SALTED_SHA1, stored, digestAndSalt);
        }
        if (stored.startsWith("{PLAIN}")) {
            return new PasswordHash(Scheme.PLAIN, stored, sha256(latin1(stored.substring(7))));
        }
        throw new InvalidHash("unsupported password hash format");
    }

    Scheme scheme() {
        return scheme;
    }

    /** Whether {@code password} is the one stored. Costly for the crypt formats, by design. */
    boolean matches(byte[] password) {
        return switch (scheme) {
            case BCRYPT -> BCRYPT.verify(password.clone(), latin1(stored)).verified;
            // commons-codec zeroes the key bytes it is given, hence the copies
            case APR1 -> sameText(Md5Crypt.apr1Crypt(password.clone(), stored));
            case MD5_CRYPT -> sameText(Md5Crypt.md5Crypt(password.clone(), stored));
            case SHA256_CRYPT -> sameText(Sha2Crypt.sha256Crypt(password.clone(), stored));
            case SHA512_CRYPT -> sameText(Sha2Crypt.sha512Crypt(password.clone(), stored));
            case SHA1 -> MessageDigest.isEqual(digest("SHA-1", password), material);
            case SALTED_SHA1 -> saltedSha1Matches(password);
            // digests of both sides, so that the time taken does not tell the stored length
            case PLAIN -> MessageDigest.isEqual(sha256(password), material);
        };
    }

    private boolean saltedSha1Matches(byte[] password) {
        byte[] salt = Arrays.copyOfRange(material, SHA1_LENGTH, material.length);
        byte[] salted = Arrays.copyOf(password, password.length + salt.length);
        System.arraycopy(salt, 0, salted, password.length, salt.length);
        return MessageDigest.isEqual(digest("SHA-1", salted), Arrays.copyOf(material, SHA1_LENGTH));
    }

    private boolean sameText(String computed) {
        return MessageDigest.isEqual(latin1(computed), latin1(stored));
    }

    private static PasswordHash shaped(Scheme scheme, String stored, Pattern shape, String name)
            throws InvalidHash {
        if (!shape.matcher(stored).matches()) {
            throw new InvalidHash("malformed " + name + " password hash");
        }
        return new PasswordHash(scheme, stored, null);
    }

    private static byte[] base64(String text, String name) throws InvalidHash {
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidHash("malformed " + name + " password hash");
        }
    }

    static byte[] sha256(byte[] data) {
        return digest("SHA-256", data);
    }

    private static byte[] digest(String algorithm, byte[] data) {
        try {
            return MessageDigest.getInstance(algorithm).digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has " + algorithm, e);
        }
    }

    private static byte[] latin1(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
