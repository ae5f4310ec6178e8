package io.tunnelgate.files;

import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpMethod;
import io.tunnelgate.http.ContentHandler;
import io.tunnelgate.http.Exchange;
import io.tunnelgate.http.Request;
import io.tunnelgate.http.UriEscape;
import io.tunnelgate.log.LogLevel;
import io.tunnelgate.log.OsErrors;
import io.tunnelgate.script.ComplexValue;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * nginx's index and static modules for one level: a URI ending in {@code /} looks for an index
 * file and redirects internally to it; any other URI is mapped to a file under {@code root} (or
 * {@code alias}) and sent. A directory asked for without its slash is redirected (301) to it.
 *
 * <p>Every stat and open runs on the blocking pool ({@link FileProbe}); the request continues on
 * its event loop with the answer. Errors are answered through the exchange, so {@code error_page}
 * applies to them, and logged with nginx's words.
 */
final class StaticHandler implements ContentHandler {
    private final DocRoot root;
    private final List<ComplexValue<Request>> index;
    private final boolean logNotFound;

    StaticHandler(DocRoot root, List<ComplexValue<Request>> index, boolean logNotFound) {
        this.root = root;
        this.index = List.copyOf(index);
        this.logNotFound = logNotFound;
    }

    @Override
    public void handle(Request req, Exchange ex) {
        String uri = req.uri();
        boolean readMethod = isReadMethod(req.method());
        String path = root.path(req, uri);
        if (path == null) {
            req.log(LogLevel.ALERT, "\"alias\" cannot be used in location \"" + root.location()
                    + "\" where URI was rewritten");
            ex.sendError(req, 500);
        } else if (uri.endsWith("/")) {
            if (readMethod) {
                index(req, ex, path);
            } else {
                // the index module declines other methods, and the static one declines directories
                forbidDirectory(req, ex, path);
            }
        } else if (readMethod) {
            file(req, ex, path);
        } else {
            ex.sendError(req, 405);
        }
    }

    /** GET, HEAD and POST; POST gets as far as finding the file, then 405. */
    private static boolean isReadMethod(HttpMethod m) {
        return HttpMethod.GET.equals(m) || HttpMethod.HEAD.equals(m) || HttpMethod.POST.equals(m);
    }

    private void index(Request req, Exchange ex, String dir) {
        List<String> names = new ArrayList<>(index.size());
        for (ComplexValue<Request> name : index) {
            names.add(name.evaluate(req));
        }
        EventLoop loop = loop(req);
        offload(req, ex, () -> IndexSearch.search(loop, dir, names, logNotFound), found -> {
            if (found instanceof IndexSearch.Found f) {
                ex.internalRedirect(req, f.absolute() ? f.name() : req.uri() + uriBytes(f.name()), req.args());
            } else if (found instanceof IndexSearch.Failed f) {
                if (f.message() != null) {
                    req.log(f.level(), f.message());
                }
                ex.sendError(req, f.status());
            } else {
                forbidDirectory(req, ex, dir);
            }
        }, found -> { });
    }

    private static void forbidDirectory(Request req, Exchange ex, String dir) {
        req.log(LogLevel.ERROR, "directory index of \"" + dir + "\" is forbidden");
        ex.sendError(req, 403);
    }

    private void file(Request req, Exchange ex, String path) {
        EventLoop loop = loop(req);
        offload(req, ex, () -> FileProbe.open(loop, path), file -> {
            switch (file.kind()) {
                case ERROR -> openFailed(req, ex, path, file.error());
                case DIRECTORY -> ex.sendRedirect(req, 301, directoryLocation(req));
                case OTHER -> {
                    req.log(LogLevel.CRIT, "\"" + path + "\" is not a regular file");
                    ex.sendError(req, 404);
                }
                case FILE -> {
                    if (HttpMethod.POST.equals(req.method())) {
                        closeLater(req, file.channel());
                        ex.sendError(req, 405);
                    } else {
                        FileReply.send(req, ex, file);
                    }
                }
            }
        }, file -> {
            if (file.channel() != null) {
                FileProbe.close(loop, file.channel());
            }
        });
    }

    /** nginx's open error mapping: not found 404, forbidden 403, anything else 500 at crit. */
    private void openFailed(Request req, Exchange ex, String path, IOException e) {
        int errno = OsErrors.number(e);
        String message = "open() \"" + path + "\" failed (" + OsErrors.describe(e) + ")";
        switch (errno) {
            case IndexSearch.ENOENT, IndexSearch.ENOTDIR, IndexSearch.ENAMETOOLONG -> {
                if (logNotFound) {
                    req.log(LogLevel.ERROR, message);
                }
                ex.sendError(req, 404);
            }
            case IndexSearch.EACCES -> {
                req.log(LogLevel.ERROR, message);
                ex.sendError(req, 403);
            }
            default -> {
                req.log(LogLevel.CRIT, message);
                ex.sendError(req, 500);
            }
        }
    }

    /** The URI with a slash added (and the arguments), escaped as nginx escapes a Location. */
    private static String directoryLocation(Request req) {
        String location = UriEscape.escape(req.uri()) + "/";
        return req.args().isEmpty() ? location : location + "?" + req.args();
    }

    /**
     * Runs {@code work} on the blocking pool and hands its result to {@code then} on the request's
     * event loop; if the loop is shutting down, {@code orphan} gets the result instead (to close
     * what it opened). Should the work fail unexpectedly, the request is answered with 500 rather
     * than left waiting.
     */
    private static <T> void offload(Request req, Exchange ex, Supplier<T> work, Consumer<T> then, Consumer<T> orphan) {
        EventLoop loop = loop(req);
        req.connection().services().blocking().execute(() -> {
            Runnable next;
            T result = null;
            try {
                result = work.get();
                T done = result;
                next = () -> then.accept(done);
            } catch (RuntimeException e) {
                next = () -> {
                    req.log(LogLevel.ALERT, "unexpected error: " + e);
                    ex.sendError(req, 500);
                };
            }
            try {
                loop.execute(next);
            } catch (RejectedExecutionException e) {
                if (result != null) {
                    orphan.accept(result);
                }
            }
        });
    }

    /** Closes a file on the blocking pool: close(2) is a file-system call too. */
    static void closeLater(Request req, FileChannel ch) {
        EventLoop loop = loop(req);
        req.connection().services().blocking().execute(() -> FileProbe.close(loop, ch));
    }

    private static EventLoop loop(Request req) {
        return req.connection().channel().eventLoop();
    }

    /** A name from the config (text) as URI bytes, one char per byte. */
    private static String uriBytes(String name) {
        return new String(name.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }
}
