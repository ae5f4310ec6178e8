package io.tunnelgate.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import org.apache.commons.codec.digest.Md5Crypt;
import org.apache.commons.codec.digest.Sha2Crypt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every stored format, checked against hashes written by independent tools (glibc's libxcrypt
 * crypt(3), which htpasswd and nginx use, and {@code openssl passwd}) and against hashes the
 * libraries make; malformed and unknown formats are refused when the file is read.
 */
class PasswordHashTest {
    /** The password of every fixed hash below. */
    private static final byte[] SECRET = bytes("s3cret");

    /**
     * Written by other implementations for the password {@code s3cret}: bcrypt by libxcrypt's
     * crypt(3) ({@code crypt("s3cret", "$2y$05$abcdefghijklmnopqrstuu")}, the shape htpasswd -B
     * writes), the rest by {@code openssl passwd -apr1/-1/-5/-6 -salt ...}, {@code rounds=} by
     * libxcrypt, {@code {SHA}} by {@code openssl dgst -sha1 -binary | base64}, {@code {SSHA}} by
     * the same with the salt {@code abcd} appended.
     */
    @ParameterizedTest
    @ValueSource(strings = {
        "$2y$05$abcdefghijklmnopqrstuuLK7U1u6pVRmL7L1BBM2aS35PSZnDXlK",
        "$2a$05$abcdefghijklmnopqrstuuLK7U1u6pVRmL7L1BBM2aS35PSZnDXlK",
        "$2b$05$abcdefghijklmnopqrstuuLK7U1u6pVRmL7L1BBM2aS35PSZnDXlK",
        "$apr1$abcdefgh$M2T3erDstkD7SsE2QQnfH0",
        "$1$saltsalt$RwMqRjSWhXMKbW72DwzGd1",
        "$5$saltsalt$i1q2ZQzc.tl/BQ6CHiENAcVDvEY6nJ1OWlWXKh94b1.",
        "$5$rounds=5000$saltsalt$i1q2ZQzc.tl/BQ6CHiENAcVDvEY6nJ1OWlWXKh94b1.",
        "$6$saltsalt$As4wrv0kZlfch1du9WeH7qhskyLriQWySXrZzynnvi46nFnNxjdpl6ksRegrrKexvhIa/Iny8S8uF3fVWTMuC1",
        "{SHA}/vNB+F2HQ559kaLUZbmHHvZrXpg=",
        "{SSHA}ZwljYekdviWX1+pUMqWBKifp7ANhYmNk",
        "{PLAIN}s3cret"})
    void independentlyWrittenHashesVerify(String stored) throws Exception {
        PasswordHash hash = PasswordHash.parse(stored);
        assertThat(hash.matches(SECRET)).isTrue();
        assertThat(hash.matches(bytes("s3creT"))).isFalse();
        assertThat(hash.matches(bytes("s3cret "))).isFalse();
        assertThat(hash.matches(new byte[0])).isFalse();
    }

    @Test
    void hashesTheLibrariesMakeVerify() throws Exception {
        byte[] pw = bytes("correct horse");
        String[] stored = {
            new String(BCrypt.with(BCrypt.Version.VERSION_2Y).hash(4, pw), StandardCharsets.ISO_8859_1),
            new String(BCrypt.with(BCrypt.Version.VERSION_2B).hash(4, pw), StandardCharsets.ISO_8859_1),
            Md5Crypt.apr1Crypt(pw.clone()),
            Sha2Crypt.sha256Crypt(pw.clone()),
            Sha2Crypt.sha512Crypt(pw.clone()),
            "{SHA}" + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1").digest(pw)),
        };
        for (String s : stored) {
            PasswordHash hash = PasswordHash.parse(s);
            assertThat(hash.matches(pw)).as(s).isTrue();
            assertThat(hash.matches(bytes("correct horsE"))).as(s).isFalse();
        }
    }

    @Test
    void matchingLeavesTheCallersPasswordIntact() throws Exception {
        byte[] pw = SECRET.clone();
        PasswordHash.parse("$apr1$abcdefgh$M2T3erDstkD7SsE2QQnfH0").matches(pw);
        PasswordHash.parse("$6$saltsalt$As4wrv0kZlfch1du9WeH7qhskyLriQWySXrZzynnvi46nFnNxjdpl6ksRegrrKexvhIa/Iny8S8uF3fVWTMuC1")
                .matches(pw);
        assertThat(pw).isEqualTo(SECRET);
    }

    /** crypt(3) and htpasswd read 72 bytes of a bcrypt password; so does Tunnelgate, rather than refuse. */
    @Test
    void bcryptTakesTheFirst72BytesOfALongPassword() throws Exception {
        // libxcrypt: crypt("x" * 80, "$2y$04$abcdefghijklmnopqrstuu")
        PasswordHash hash = PasswordHash.parse("$2y$04$abcdefghijklmnopqrstuubzadhGtS2zEF.gu0yd0opP6cVzb.e0i");
        assertThat(hash.matches(bytes("x".repeat(80)))).isTrue();
        assertThat(hash.matches(bytes("x".repeat(72)))).isTrue();
        assertThat(hash.matches(bytes("x".repeat(71)))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "s3cret", "abJnggxhB/yWI", "$3$abc", "{MD5}abc", "{sha}/vNB+F2HQ559kaLUZbmHHvZrXpg=",
        "$2x$05$abcdefghijklmnopqrstuuLK7U1u6pVRmL7L1BBM2aS35PSZnDXlK"})
    void unknownFormatsAreUnsupported(String stored) {
        assertThatThrownBy(() -> PasswordHash.parse(stored)).isInstanceOf(PasswordHash.InvalidHash.class)
                .hasMessage("unsupported password hash format");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "$2y$05$abcdefghijklmnopqrstuuLK7U1u6pVRmL7L1BBM2aS35PSZnDXl",
        "$2y$32$abcdefghijklmnopqrstuuLK7U1u6pVRmL7L1BBM2aS35PSZnDXlK",
        "$apr1$abcdefgh$M2T3erDstkD7SsE2QQnfH",
        "$apr1$$M2T3erDstkD7SsE2QQnfH0",
        "$5$saltsalt$i1q2ZQzc.tl/BQ6CHiENAcVDvEY6nJ1OWlWXKh94b1",
        "$6$saltsalt$short",
        "{SHA}/vNB+F2HQ559kaLUZbmHHvZrXp==",
        "{SHA}not base64!",
        "{SSHA}/vNB+F2HQ559kaLUZbmHHvZrXpg="})
    void damagedHashesAreMalformed(String stored) {
        assertThatThrownBy(() -> PasswordHash.parse(stored)).isInstanceOf(PasswordHash.InvalidHash.class)
                .hasMessageStartingWith("malformed ").hasMessageEndingWith(" password hash");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
