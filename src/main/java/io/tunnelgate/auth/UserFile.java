package io.tunnelgate.auth;

import io.tunnelgate.config.ConfigException;
import io.tunnelgate.log.OsErrors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One {@code auth_basic_user_file}, shared by every level that names it: the users read last, and
 * the credentials verified recently.
 *
 * <p>nginx reads the file on every request; reading it on an event loop would block, so it is read
 * at load and then checked again when it may have changed: at most once a second, a login stats
 * the file on the blocking pool, and a changed file is read and parsed there too. A new version
 * that cannot be read or parsed is reported once and the users read before stay in use, as a
 * half-written file must not lock everyone out.
 *
 * <p>Thread-safe: contents are swapped whole ({@code volatile}); one check runs at a time.
 */
final class UserFile {
    /** Time between two checks of the file. */
    static final long CHECK_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

    /**
     * One version of the file.
     *
     * @param generation counts versions, so that a cache key of an old version never matches
     */
    record Contents(long generation, Map<String, PasswordHash> users, FileStamp stamp) {
    }

    private final Path path;
    private final VerifiedCache cache = new VerifiedCache();
    private final AtomicLong lastCheck;
    private final AtomicBoolean checking = new AtomicBoolean();
    private volatile Contents current;
    /** The last problem reported, so that a file that stays broken is reported once. */
    private volatile String problem;
    /** A version that failed to parse: not read again until the file changes once more. */
    private volatile FileStamp rejected;

    private UserFile(Path path, Contents contents, long nowNanos) {
        this.path = path;
        this.current = contents;
        this.lastCheck = new AtomicLong(nowNanos);
    }

    /**
     * Reads the file at load time.
     *
     * @throws IOException when it cannot be read
     * @throws ConfigException naming the file and line of a bad entry
     */
    static UserFile load(Path path, long nowNanos) throws IOException, ConfigException {
        FileStamp stamp = FileStamp.of(path);
        Map<String, PasswordHash> users = Htpasswd.parse(path, Files.readAllBytes(path));
        return new UserFile(path, new Contents(1, users, stamp), nowNanos);
    }

    Path path() {
        return path;
    }

    Contents current() {
        return current;
    }

    VerifiedCache cache() {
        return cache;
    }

    /**
     * Starts a check of the file if none ran for a second.
     *
     * @return null when no check is due (or the pool is gone), else a future completing once the
     *     check is done with a problem to report, or with null
     */
    CompletableFuture<String> checkIfDue(long nowNanos, Executor blocking) {
        long last = lastCheck.get();
        if (nowNanos - last < CHECK_INTERVAL_NANOS || !lastCheck.compareAndSet(last, nowNanos)
                || !checking.compareAndSet(false, true)) {
            return null;
        }
        CompletableFuture<String> done = new CompletableFuture<>();
        try {
            blocking.execute(() -> {
                try {
                    done.complete(check());
                } finally {
                    checking.set(false);
                }
            });
        } catch (RejectedExecutionException e) {
            checking.set(false);
            return null;
        }
        return done;
    }

    /** Stats the file and reads it again if it changed; file-system work, off the event loops. */
    private String check() {
        FileStamp stamp;
        try {
            stamp = FileStamp.of(path);
        } catch (IOException e) {
            return report("stat() \"" + path + "\" failed (" + OsErrors.describe(e) + ")");
        }
        if (stamp.sameAs(current.stamp()) || stamp.sameAs(rejected)) {
            return null;
        }
        Map<String, PasswordHash> users;
        try {
            users = Htpasswd.parse(path, Files.readAllBytes(path));
        } catch (IOException e) {
            return report("open() \"" + path + "\" failed (" + OsErrors.describe(e) + ")");
        } catch (ConfigException e) {
            rejected = stamp;
            return report(e.getMessage());
        }
        current = new Contents(current.generation() + 1, users, stamp);
        cache.clear();
        problem = null;
        return null;
    }

    private String report(String what) {
        String message = "user file \"" + path + "\" not reloaded: " + what + "; the users read before stay in use";
        if (message.equals(problem)) {
            return null;
        }
        problem = message;
        return message;
    }
}
