package io.tunnelgate.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user file is checked at most once a second, picks up a changed file as a new generation, and
 * keeps the users it has when the new version is bad or gone, reporting that once.
 */
class UserFileTest {
    private static final long SECOND = UserFile.CHECK_INTERVAL_NANOS;

    @TempDir
    Path dir;

    @Test
    void checksAtMostOnceASecondAndReadsAChangedFile() throws Exception {
        Path path = write("alice:{PLAIN}one\n", 1);
        UserFile file = UserFile.load(path, 0);
        assertThat(file.checkIfDue(SECOND - 1, Runnable::run)).as("not due yet").isNull();
        assertThat(file.checkIfDue(SECOND, Runnable::run)).isCompletedWithValue(null);
        assertThat(file.current().generation()).as("unchanged").isEqualTo(1);

        write("alice:{PLAIN}two\nbob:{PLAIN}three\n", 2);
        assertThat(file.checkIfDue(SECOND + SECOND / 2, Runnable::run)).as("checked half a second ago").isNull();
        assertThat(file.checkIfDue(2 * SECOND, Runnable::run)).isCompletedWithValue(null);
        assertThat(file.current().generation()).isEqualTo(2);
        assertThat(file.current().users()).containsOnlyKeys("alice", "bob");
        assertThat(file.current().users().get("alice").matches("two".getBytes(StandardCharsets.US_ASCII))).isTrue();
    }

    @Test
    void aBadNewVersionKeepsTheOldUsersAndIsReportedOnce() throws Exception {
        Path path = write("alice:{PLAIN}one\n", 1);
        UserFile file = UserFile.load(path, 0);
        write("alice:{PLAIN}one\nbob:abJnggxhB/yWI\n", 2);
        CompletableFuture<String> check = file.checkIfDue(SECOND, Runnable::run);
        assertThat(check.getNow("none")).isEqualTo("user file \"" + path + "\" not reloaded: unsupported password hash "
                + "format in " + path + ":2; the users read before stay in use");
        assertThat(file.current().generation()).isEqualTo(1);
        assertThat(file.checkIfDue(2 * SECOND, Runnable::run)).as("same bad version: no new report")
                .isCompletedWithValue(null);

        write("alice:{PLAIN}fixed\n", 3);
        assertThat(file.checkIfDue(3 * SECOND, Runnable::run)).isCompletedWithValue(null);
        assertThat(file.current().generation()).isEqualTo(2);
    }

    @Test
    void aRemovedFileKeepsTheOldUsers() throws Exception {
        Path path = write("alice:{PLAIN}one\n", 1);
        UserFile file = UserFile.load(path, 0);
        Files.delete(path);
        assertThat(file.checkIfDue(SECOND, Runnable::run).getNow("none"))
                .isEqualTo("user file \"" + path + "\" not reloaded: stat() \"" + path
                        + "\" failed (2: No such file or directory); the users read before stay in use");
        assertThat(file.checkIfDue(2 * SECOND, Runnable::run)).isCompletedWithValue(null);
        assertThat(file.current().users()).containsOnlyKeys("alice");
    }

    @Test
    void theCacheIsClearedWithANewGeneration() throws Exception {
        Path path = write("alice:{PLAIN}one\n", 1);
        UserFile file = UserFile.load(path, 0);
        file.cache().verify("k", () -> true, Runnable::run, () -> 0L);
        assertThat(file.cache().size()).isEqualTo(1);
        write("alice:{PLAIN}two\n", 2);
        file.checkIfDue(SECOND, Runnable::run);
        assertThat(file.cache().size()).isZero();
    }

    /** Writes the file with a distinct modification time, so that versions differ whatever the clock's grain. */
    private Path write(String text, int version) throws Exception {
        Path path = dir.resolve("users");
        Files.writeString(path, text, StandardCharsets.ISO_8859_1);
        Files.setLastModifiedTime(path, FileTime.from(Instant.ofEpochSecond(1_700_000_000L + version)));
        return path;
    }
}
