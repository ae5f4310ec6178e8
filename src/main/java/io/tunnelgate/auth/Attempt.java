package io.tunnelgate.auth;

import io.tunnelgate.http.AuthCheck;
import io.tunnelgate.http.Request;
import io.tunnelgate.http.Services;
import io.tunnelgate.log.LogLevel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.IntConsumer;
import java.util.function.IntSupplier;

/**
 * One check of a request's credentials against a user file, in steps that never block the
 * request's event loop: if the file is due for a check, wait for its stat (and re-read) on the
 * blocking pool; look the user up; take a recent verification from the cache; else verify the
 * hash on the authentication pool. Each step after a pause resumes on the event loop.
 *
 * <p>Log lines use nginx's words ({@code user "bob" was not found in "/etc/users"},
 * {@code user "alice": password mismatch}) and carry the client address, never the password.
 */
final class Attempt {
    private final Request req;
    private final UserFile file;
    private final Credentials credentials;
    private final IntSupplier challenge;
    private final IntConsumer done;
    private final Services services;

    /**
     * @param challenge adds the challenge header and returns 401 or 407
     * @param done receives the verdict, on the event loop
     */
    Attempt(Request req, UserFile file, Credentials credentials, IntSupplier challenge, IntConsumer done) {
        this.req = req;
        this.file = file;
        this.credentials = credentials;
        this.challenge = challenge;
        this.done = done;
        this.services = req.connection().services();
    }

    void start() {
        CompletableFuture<String> check = file.checkIfDue(services.nanoTime().getAsLong(), services.blocking());
        if (check == null) {
            lookUp();
            return;
        }
        check.whenComplete((problem, error) -> onLoop(() -> {
            if (problem != null) {
                req.log(LogLevel.ERROR, problem);
            }
            lookUp();
        }));
    }

    private void lookUp() {
        UserFile.Contents contents = file.current();
        String user = credentials.user();
        PasswordHash hash = contents.users().get(user);
        if (hash == null) {
            req.log(LogLevel.ERROR, "user \"" + user + "\" was not found in \"" + file.path() + "\"");
            refuse();
            return;
        }
        String key = VerifiedCache.key(contents.generation(), user, credentials.password());
        VerifiedCache cache = file.cache();
        if (cache.isVerified(key, services.nanoTime().getAsLong())) {
            services.authStats().cacheHit();
            accept();
            return;
        }
        byte[] password = credentials.password();
        CompletableFuture<Boolean> verified;
        try {
            verified = cache.verify(key, () -> hash.matches(password), services.authPool(), services.nanoTime());
        } catch (RejectedExecutionException e) {
            services.authStats().rejectedForOverload();
            req.log(LogLevel.ERROR, "user \"" + user + "\": too many password checks in progress");
            finish(503);
            return;
        }
        verified.whenComplete((ok, error) -> onLoop(() -> verified(ok, error)));
    }

    private void verified(Boolean ok, Throwable error) {
        if (error != null) {
            req.log(LogLevel.ERROR, "user \"" + credentials.user() + "\": password check failed: " + error);
            finish(500);
        } else if (ok) {
            accept();
        } else {
            req.log(LogLevel.ERROR, "user \"" + credentials.user() + "\": password mismatch");
            refuse();
        }
    }

    private void accept() {
        services.authStats().success();
        finish(AuthCheck.OK);
    }

    private void refuse() {
        services.authStats().failure();
        finish(challenge.getAsInt());
    }

    private void finish(int verdict) {
        credentials.forget();
        done.accept(verdict);
    }

    /**
     * Runs {@code step} on the request's event loop. A loop that refuses it is shutting down with
     * the server, which closes the connection anyway.
     */
    private void onLoop(Runnable step) {
        try {
            req.connection().channel().eventLoop().execute(step);
        } catch (RejectedExecutionException e) {
            credentials.forget();
        }
    }
}
