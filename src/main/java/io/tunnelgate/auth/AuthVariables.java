package io.tunnelgate.auth;

import io.tunnelgate.http.Request;
import io.tunnelgate.script.VariableTable;

/**
 * {@code $remote_user}: the user name of the request's Basic credentials, as nginx gives it
 * whenever the header parses, with or without {@code auth_basic}. Proxy requests read
 * {@code Proxy-Authorization}, others {@code Authorization}. Not found when there is none.
 */
public final class AuthVariables {
    private AuthVariables() {
    }

    /** Defines the variables in {@code table}. */
    public static void define(VariableTable<Request> table) {
        table.define("remote_user", AuthVariables::remoteUser);
    }

    private static String remoteUser(Request req) {
        Credentials c = Credentials.of(req);
        if (c == null) {
            return null;
        }
        c.forget();
        return c.user();
    }
}
