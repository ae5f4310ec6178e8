package io.tunnelgate.files;

import io.netty.channel.EventLoop;
import io.tunnelgate.log.LogLevel;
import io.tunnelgate.log.OsErrors;
import java.io.IOException;
import java.util.List;

/**
 * nginx's index module, the part that touches the file system (run on the blocking pool): tries
 * the index names in order under a directory and says which one exists, or why none can be
 * served.
 *
 * <p>As in nginx: a name starting with {@code /} is taken as it is once reached (no test); a name
 * that exists in any form is found; the first missing name also checks the directory itself, so a
 * missing directory is a 404 ({@code "…/index.html" is not found}); a permission problem is a 403
 * ({@code is forbidden}); when every name is missing the caller answers 403 ("directory index
 * is forbidden").
 */
final class IndexSearch {
    static final int ENOENT = 2;
    static final int EACCES = 13;
    static final int ENOTDIR = 20;
    static final int ENAMETOOLONG = 36;

    /** What the search decided. */
    sealed interface Outcome permits Found, Failed, Declined {
    }

    /**
     * @param name the index name to redirect to
     * @param absolute true when it is a URI of its own ({@code /...}), else it follows the request URI
     */
    record Found(String name, boolean absolute) implements Outcome {
    }

    /** @param message the error-log line at {@code level}, or null for none */
    record Failed(int status, LogLevel level, String message) implements Outcome {
    }

    /** No index file exists: nginx goes on to its other handlers and ends with 403. */
    record Declined() implements Outcome {
    }

    private IndexSearch() {
    }

    /**
     * @param dir the mapped path of the URI (normally ending with {@code /})
     * @param names the index names, already evaluated
     */
    static Outcome search(EventLoop loop, String dir, List<String> names, boolean logNotFound) {
        boolean dirTested = false;
        for (String name : names) {
            if (name.startsWith("/")) {
                return new Found(name, true);
            }
            String path = dir + name;
            FileProbe.Result r = FileProbe.stat(loop, path);
            if (r.kind() != FileProbe.Kind.ERROR) {
                return new Found(name, false);
            }
            int errno = OsErrors.number(r.error());
            if (errno == ENOTDIR || errno == ENAMETOOLONG || errno == EACCES) {
                return indexError(path, r.error(), logNotFound);
            }
            if (!dirTested) {
                Outcome dirProblem = testDirectory(loop, dir, path, logNotFound);
                if (dirProblem != null) {
                    return dirProblem;
                }
                dirTested = true;
            }
            if (errno != ENOENT) {
                return new Failed(500, LogLevel.CRIT, "stat() \"" + path + "\" failed (" + OsErrors.describe(r.error()) + ")");
            }
        }
        return new Declined();
    }

    /** Whether the directory exists; null when it does (or cannot be searched but was). */
    private static Outcome testDirectory(EventLoop loop, String dir, String indexPath, boolean logNotFound) {
        String tested = dir.length() > 1 && dir.endsWith("/") ? dir.substring(0, dir.length() - 1) : dir;
        FileProbe.Result d = FileProbe.stat(loop, tested);
        if (d.kind() == FileProbe.Kind.DIRECTORY) {
            return null;
        }
        if (d.kind() != FileProbe.Kind.ERROR) {
            return new Failed(500, LogLevel.ALERT, "\"" + tested + "\" is not a directory");
        }
        int errno = OsErrors.number(d.error());
        if (errno == ENOENT) {
            // nginx names the index file it was looking for, with the directory's error
            return indexError(indexPath, d.error(), logNotFound);
        }
        if (errno == EACCES) {
            // the index test failed otherwise, so the directory can be searched
            return null;
        }
        return new Failed(500, LogLevel.CRIT, "stat() \"" + tested + "\" failed (" + OsErrors.describe(d.error()) + ")");
    }

    private static Outcome indexError(String path, IOException e, boolean logNotFound) {
        if (OsErrors.number(e) == EACCES) {
            return new Failed(403, LogLevel.ERROR, "\"" + path + "\" is forbidden (" + OsErrors.describe(e) + ")");
        }
        return new Failed(404, LogLevel.ERROR,
                logNotFound ? "\"" + path + "\" is not found (" + OsErrors.describe(e) + ")" : null);
    }
}
