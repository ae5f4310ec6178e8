package io.tunnelgate.auth;

import io.tunnelgate.http.AuthCheck;
import io.tunnelgate.http.Request;
import io.tunnelgate.log.LogLevel;
import io.tunnelgate.script.ComplexValue;
import java.util.function.IntConsumer;

/**
 * {@code auth_basic} with {@code auth_basic_user_file} at one level. For a proxy request (CONNECT,
 * absolute-form) it is proxy authentication: {@code Proxy-Authorization}, and
 * {@code 407 Proxy Authentication Required} with {@code Proxy-Authenticate}, which is what proxy
 * clients understand; for any other request it is nginx's: {@code Authorization}, 401 and
 * {@code WWW-Authenticate}.
 *
 * <p>A request without credentials is challenged at once (and logged at info, as nginx does); one
 * with credentials goes on in an {@link Attempt}, which checks them off the event loop.
 */
final class BasicAuth implements AuthCheck {
    private final ComplexValue<Request> realm;
    private final UserFile file;

    BasicAuth(ComplexValue<Request> realm, UserFile file) {
        this.realm = realm;
        this.file = file;
    }

    @Override
    public void check(Request req, IntConsumer done) {
        String realmText = realm.evaluate(req);
        if (realmText.equals("off")) {
            // nginx: a realm that evaluates to "off" turns authentication off for the request
            done.accept(DECLINED);
            return;
        }
        boolean proxy = req.isProxyRequest();
        if (proxy) {
            ProxyAuthorization.markConsumed(req);
        }
        Credentials credentials = Credentials.of(req);
        if (credentials == null) {
            req.connection().services().authStats().missingCredentials();
            req.log(LogLevel.INFO, "no user/password was provided for basic authentication");
            done.accept(challenge(req, realmText, proxy));
            return;
        }
        new Attempt(req, file, credentials, () -> challenge(req, realmText, proxy), done).start();
    }

    /** Adds the challenge header and returns the status that carries it. */
    static int challenge(Request req, String realm, boolean proxy) {
        req.addOutHeader(proxy ? "Proxy-Authenticate" : "WWW-Authenticate", "Basic realm=\"" + quoted(realm) + "\"");
        return proxy ? 407 : 401;
    }

    /**
     * The realm inside a quoted-string: nginx writes it as it is, but a realm made of variables
     * could hold a quote or a control character that would break the header.
     */
    static String quoted(String realm) {
        StringBuilder sb = new StringBuilder(realm.length());
        for (int i = 0; i < realm.length(); i++) {
            char c = realm.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c >= 0x20 && c != 0x7f) {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
