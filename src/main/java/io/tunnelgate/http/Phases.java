package io.tunnelgate.http;

import io.netty.handler.codec.http.HttpUtil;
import io.tunnelgate.log.LogLevel;
import io.tunnelgate.script.Condition;
import io.tunnelgate.script.Op;
import io.tunnelgate.script.ScriptRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;

/**
 * Runs one request through nginx's phases after post-read, in nginx's order: server rewrite, then
 * for requests other than CONNECT the location search and the location's rewrite (searched again
 * when a rewrite changed the URI), then pre-access ({@code limit_req}, {@code limit_conn}), access
 * ({@code allow}/{@code deny}, authentication), then content. A CONNECT never gets a location (spec
 * §3.3): its pre-access, access and content phases use the server's configuration.
 *
 * <p>Runs on the connection's event loop. A file test in an {@code if} pauses the run while the
 * file is checked on the blocking pool, a password check while the hash is verified on the
 * authentication pool, and a {@code limit_req} delay on a timer; the run resumes on the event loop.
 */
final class Phases {
    /** Where the request is. */
    private enum Phase {
        /** The server's rewrite program. */
        SERVER_REWRITE,
        /** Choosing the location by URI (not for CONNECT). */
        FIND_LOCATION,
        /** The location's rewrite program. */
        LOCATION_REWRITE,
        /** limit_req, limit_conn: may answer, or pause the run for a while. */
        PREACCESS,
        /** allow / deny and authentication. */
        ACCESS,
        /** The content handler. */
        CONTENT
    }

    /** nginx's limit on URI changes (rewrite last, internal redirects) per request. */
    static final int MAX_URI_CHANGES = 10;

    private final Request req;
    private final Exchange ex;
    private Phase phase = Phase.SERVER_REWRITE;
    private ScriptRun<Request> run;

    Phases(Request req, Exchange ex) {
        this.req = req;
        this.ex = ex;
    }

    /**
     * nginx's internal redirect ({@code error_page}, {@code index}): the request starts again at
     * server rewrite with the new URI, counted against the same limit as rewrites.
     */
    static void internalRedirect(Request req, Exchange ex, String uri, String args) {
        if (!req.special().takeUriChange()) {
            error(req, "rewrite or internal redirection cycle while internally redirecting to \"" + uri + "\"");
            ex.sendError(req, 500);
            return;
        }
        req.internalRedirect(uri, args);
        new Phases(req, ex).run();
    }

    /**
     * nginx's redirect to a named location ({@code error_page 404 @name}): the URI, arguments and
     * method stay, and the request goes on from the named location's rewrite phase, counted
     * against the same limit of URI changes as internal redirects.
     */
    static void namedLocation(Request req, Exchange ex, String name) {
        if (!req.special().takeUriChange()) {
            error(req, "rewrite or internal redirection cycle while redirect to named location \"" + name + "\"");
            ex.sendError(req, 500);
            return;
        }
        LocationConf named = req.serverConf().locations().named(name);
        if (named == null) {
            error(req, "could not find named location \"" + name + "\"");
            ex.sendError(req, 500);
            return;
        }
        req.takeUriChanged();
        req.location(named);
        KeepAlive.applyLimits(req);
        Phases phases = new Phases(req, ex);
        phases.phase = Phase.LOCATION_REWRITE;
        phases.run();
    }

    /** Runs phases until the request is answered, handed to a content handler, or waits for a file test. */
    void run() {
        while (true) {
            switch (phase) {
                case SERVER_REWRITE -> {
                    if (!rewrite(req.serverConf().rewrite())) {
                        return;
                    }
                    phase = req.isConnect() ? Phase.PREACCESS : Phase.FIND_LOCATION;
                }
                case FIND_LOCATION -> {
                    if (!findLocation()) {
                        return;
                    }
                    phase = Phase.LOCATION_REWRITE;
                }
                case LOCATION_REWRITE -> {
                    LocationConf l = req.location();
                    if (!rewrite(l == null ? List.of() : l.rewrite())) {
                        return;
                    }
                    phase = Phase.PREACCESS;
                }
                case PREACCESS -> {
                    if (!preAccess()) {
                        return;
                    }
                    phase = Phase.ACCESS;
                }
                case ACCESS -> {
                    if (!AccessPhase.check(req, ex, this::accessGranted)) {
                        return;
                    }
                    phase = Phase.CONTENT;
                }
                case CONTENT -> {
                    content();
                    return;
                }
            }
        }
    }

    /**
     * Chooses the location from the server's locations (nginx's find-config phase, which starts
     * from the server's configuration each time).
     *
     * @return false when the request was answered: nginx's auto-redirect, a 301 to the location's
     *     name (the URI with a slash added) with the arguments
     */
    private boolean findLocation() {
        req.location(null);
        boolean redirect = req.serverConf().locations().find(req);
        KeepAlive.applyLimits(req);
        // as nginx: the body limit is checked before the auto-redirect
        if (bodyTooLarge()) {
            return false;
        }
        if (!redirect) {
            return true;
        }
        String location = UriEscape.escape(req.location().pattern());
        ex.sendRedirect(req, 301, req.args().isEmpty() ? location : location + "?" + req.args());
        return false;
    }

    /**
     * Runs (or resumes) a rewrite program.
     *
     * @return true to go on to the next phase; false when the request was answered, the location is
     *     to be searched again (phase already set), or a file test is pending
     */
    private boolean rewrite(List<Op<Request>> program) {
        if (run == null) {
            if (program.isEmpty()) {
                return true;
            }
            req.takeUriChanged();
            run = new ScriptRun<>(program);
        }
        ScriptRun.Outcome outcome = run.run(req);
        if (outcome instanceof ScriptRun.Outcome.NeedsFile f) {
            checkFile(f);
            return false;
        }
        run = null;
        if (phase == Phase.SERVER_REWRITE && (outcome instanceof ScriptRun.Outcome.Respond
                || outcome instanceof ScriptRun.Outcome.Redirect)) {
            // answered before any location: the server's keepalive limits count (nginx would
            // apply none here; a connection should not escape keepalive_requests that way)
            KeepAlive.applyLimits(req);
        }
        if (outcome instanceof ScriptRun.Outcome.Respond r) {
            Returns.respond(req, ex, r.code(), r.text());
            return false;
        }
        if (outcome instanceof ScriptRun.Outcome.Redirect r) {
            ex.sendRedirect(req, r.code(), r.url());
            return false;
        }
        boolean changed = req.takeUriChanged();
        boolean research = outcome instanceof ScriptRun.Outcome.Restart
                || outcome instanceof ScriptRun.Outcome.Done && changed && phase == Phase.LOCATION_REWRITE;
        if (research && !req.isConnect()) {
            if (!req.special().takeUriChange()) {
                error(req, "rewrite or internal redirection cycle while processing \"" + req.uri() + "\"");
                ex.sendError(req, 500);
                return false;
            }
            phase = Phase.FIND_LOCATION;
            run();
            return false;
        }
        return true;
    }

    /** Checks a file off the event loop, then resumes the program on the loop. */
    private void checkFile(ScriptRun.Outcome.NeedsFile f) {
        ClientConnection conn = req.connection();
        conn.services().blocking().execute(() -> {
            boolean exists = test(f.path(), f.kind());
            conn.channel().eventLoop().execute(() -> {
                run.resume(exists);
                run();
            });
        });
    }

    /**
     * nginx's file tests, made with stat(): symbolic links are followed (a dangling one does not
     * exist), {@code -x} is the owner's execute bit (directories included), and a path that
     * cannot name a file (empty, say) does not exist.
     */
    private static boolean test(String path, Condition.FileKind kind) {
        if (path.isEmpty()) {
            return false;
        }
        Path p;
        try {
            p = Path.of(path);
        } catch (InvalidPathException e) {
            return false;
        }
        return switch (kind) {
            case FILE -> Files.isRegularFile(p);
            case DIRECTORY -> Files.isDirectory(p);
            case EXISTS -> Files.exists(p);
            case EXECUTABLE -> ownerExecutable(p);
        };
    }

    private static boolean ownerExecutable(Path p) {
        try {
            return Files.getPosixFilePermissions(p).contains(PosixFilePermission.OWNER_EXECUTE);
        } catch (UnsupportedOperationException e) {
            return p.toFile().canExecute();
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * nginx's find-config check of {@code client_max_body_size} against Content-Length, with the
     * location's value; skipped once an error response began (nginx has discarded the body then,
     * so an {@code error_page} for 413 does not loop).
     */
    private boolean bodyTooLarge() {
        long length = HttpUtil.getContentLength(req.head(), -1L);
        if (length < 0 || req.special().errStatus() != 0 || !req.level().limits().bodyTooLarge(length)) {
            return false;
        }
        error(req, "client intended to send too large body: " + length + " bytes");
        ex.sendError(req, 413);
        return true;
    }

    /** Access was granted after a pause (a password checked off the event loop): go on. */
    private void accessGranted() {
        phase = Phase.CONTENT;
        run();
    }

    /**
     * limit_req and limit_conn of the request's level (the server's for CONNECT).
     *
     * @return false when the request was answered, or waits (limit_req's delay) to run this phase again
     */
    private boolean preAccess() {
        PreAccess.Verdict verdict = req.level().preAccess().check(req);
        if (verdict.delayMillis() > 0) {
            PhaseDelay.start(req, verdict.delayMillis(), this::run);
            return false;
        }
        if (verdict.status() != 0) {
            ProxyStatus.requestDenied(req, "request limit exceeded");
            ex.sendError(req, verdict.status());
            return false;
        }
        return true;
    }

    private void content() {
        if (req.isConnect()) {
            req.serverConf().connectHandler().handle(req, ex);
            return;
        }
        LocationConf l = req.location();
        ContentHandler handler = l != null ? l.handler() : req.serverConf().defaultHandler();
        handler.handle(req, ex);
    }

    private static void error(Request req, String message) {
        req.log(LogLevel.ERROR, message);
    }
}
