package io.tunnelgate.auth;

import static org.awaitility.Awaitility.await;

import io.tunnelgate.testsupport.TestProxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** What the integration tests of authentication share: a user file, headers, and log reading. */
final class AuthFixtures {
    /** The password of every user in {@link #USERS}. */
    static final String PASSWORD = "s3cret";

    /**
     * One user per stored format, each with the password {@link #PASSWORD}, every hash written by
     * an independent tool (see {@link PasswordHashTest}).
     */
    static final String USERS = """
            # one user per format; all passwords are s3cret
            alice:$2y$05$abcdefghijklmnopqrstuuLK7U1u6pVRmL7L1BBM2aS35PSZnDXlK
            bcrypt2a:$2a$05$abcdefghijklmnopqrstuuLK7U1u6pVRmL7L1BBM2aS35PSZnDXlK
            bcrypt2b:$2b$05$abcdefghijklmnopqrstuuLK7U1u6pVRmL7L1BBM2aS35PSZnDXlK
            apr1:$apr1$abcdefgh$M2T3erDstkD7SsE2QQnfH0
            md5:$1$saltsalt$RwMqRjSWhXMKbW72DwzGd1
            sha256:$5$saltsalt$i1q2ZQzc.tl/BQ6CHiENAcVDvEY6nJ1OWlWXKh94b1.
            sha512:$6$saltsalt$As4wrv0kZlfch1du9WeH7qhskyLriQWySXrZzynnvi46nFnNxjdpl6ksRegrrKexvhIa/Iny8S8uF3fVWTMuC1
            sha1:{SHA}/vNB+F2HQ559kaLUZbmHHvZrXpg=
            ssha:{SSHA}ZwljYekdviWX1+pUMqWBKifp7ANhYmNk
            plain:{PLAIN}s3cret
            """;

    private static final Duration WAIT = Duration.ofSeconds(5);

    private AuthFixtures() {
    }

    /** {@code Basic base64(user:password)}. */
    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.ISO_8859_1));
    }

    /** The lines of both logs at one moment, to read what a step added after it. */
    record Mark(TestProxy proxy, int access, int error) {
        static Mark of(TestProxy proxy) {
            // the test before may have closed its client while the proxy had not yet read that EOF;
            // its line is written before its connections close, so once none is left it is in the file
            await().atMost(WAIT).until(() -> proxy.server().services().budget().used() == 0);
            proxy.settleLogs("access.log");
            proxy.settleLogs("error.log");
            return new Mark(proxy, proxy.lines("access.log").size(), proxy.lines("error.log").size());
        }

        /** Waits for {@code n} new access-log lines and returns the new ones. */
        List<String> accessLines(int n) {
            await().atMost(WAIT).until(() -> proxy.lines("access.log").size() >= access + n);
            List<String> all = proxy.lines("access.log");
            return new ArrayList<>(all.subList(access, all.size()));
        }

        /** The error-log lines added so far, once every line already due is written. */
        List<String> errorLines() {
            proxy.settleLogs("error.log");
            List<String> all = proxy.lines("error.log");
            return new ArrayList<>(all.subList(error, all.size()));
        }
    }
}
