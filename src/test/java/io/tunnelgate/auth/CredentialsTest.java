package io.tunnelgate.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Reading Basic credentials as nginx's ngx_http_auth_basic_user does. */
class CredentialsTest {
    @Test
    void readsUserAndPassword() {
        Credentials c = Credentials.parse("Basic " + b64("alice:s3:cret"));
        assertThat(c.user()).isEqualTo("alice");
        assertThat(new String(c.password(), StandardCharsets.ISO_8859_1)).isEqualTo("s3:cret");
    }

    @Test
    void schemeInAnyCaseAndSpacesBeforeTheToken() {
        assertThat(Credentials.parse("bAsIc    " + b64("bob:x")).user()).isEqualTo("bob");
    }

    @Test
    void anEmptyPasswordIsAPassword() {
        Credentials c = Credentials.parse("Basic " + b64("bob:"));
        assertThat(c.user()).isEqualTo("bob");
        assertThat(c.password()).isEmpty();
    }

    @Test
    void nonAsciiBytesKeepTheirValues() {
        Credentials c = Credentials.parse("Basic " + Base64.getEncoder().encodeToString(
                "j\u00f6rg:x".getBytes(StandardCharsets.UTF_8)));
        assertThat(c.user().getBytes(StandardCharsets.ISO_8859_1)).isEqualTo("j\u00f6rg".getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Basic", "Basic ", "Basic    ", "Bearer abc", "Basicx " + "YTpi", "Basic !!!!",
        "Basic YWxpY2U=", "Basic OnB3"})
    void noUsableCredentials(String header) {
        assertThat(Credentials.parse(header)).isNull();
    }

    @Test
    void printingNeverShowsThePassword() {
        Credentials c = Credentials.parse("Basic " + b64("alice:hunter2"));
        assertThat(c.toString()).contains("alice").doesNotContain("hunter2").doesNotContain("[B@");
        c.forget();
        assertThat(c.password()).containsOnly(0);
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.ISO_8859_1));
    }
}
