package io.tunnelgate.testsupport;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link Payload}: the same bytes whatever the read sizes, and hashes that agree. */
class PayloadTest {

    @Test
    void streamDoesNotDependOnReadSizes() throws Exception {
        int size = 200_003;
        byte[] whole = Payload.bytes(size, 5);
        ByteArrayOutputStream pieces = new ByteArrayOutputStream();
        try (InputStream in = Payload.stream(size, 5)) {
            byte[] buf = new byte[7919];
            for (int n, turn = 0; (n = in.read(buf, 0, 1 + turn++ % buf.length)) != -1; ) {
                pieces.write(buf, 0, n);
            }
        }

        assertThat(pieces.toByteArray()).isEqualTo(whole);
        assertThat(Payload.sha256(size, 5)).isEqualTo(Payload.sha256(whole));
        assertThat(Payload.digest(new ByteArrayInputStream(whole))).isEqualTo(new Received(size, Payload.sha256(whole)));
    }

    @Test
    void seedsAndSizesGiveDifferentStreams() {
        assertThat(Payload.bytes(1024, 1)).isNotEqualTo(Payload.bytes(1024, 2));
        assertThat(Payload.sha256(1024, 1)).isNotEqualTo(Payload.sha256(1025, 1));
        assertThat(Payload.sha256(new byte[0]))
                .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }
}
