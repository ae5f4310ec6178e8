package io.tunnelgate.auth;

import static io.tunnelgate.config.Context.HTTP;
import static io.tunnelgate.config.Context.LOCATION;
import static io.tunnelgate.config.Context.SERVER;

import io.tunnelgate.config.Args;
import io.tunnelgate.config.Block;
import io.tunnelgate.config.ConfigException;
import io.tunnelgate.config.ConfigNode;
import io.tunnelgate.config.DirectiveRegistry;
import io.tunnelgate.config.DirectiveSpec;
import io.tunnelgate.config.LoadContext;
import io.tunnelgate.config.Setting;
import io.tunnelgate.config.SourcePos;
import io.tunnelgate.http.AuthCheck;
import io.tunnelgate.http.HttpDirectives;
import io.tunnelgate.http.Request;
import io.tunnelgate.script.ComplexValue;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.EnumSet;

/**
 * nginx's auth_basic module: {@code auth_basic "realm" | off} and {@code auth_basic_user_file
 * file} at http, server and location level, each inherited by the levels inside that do not set
 * it. The realm may hold variables; a realm that evaluates to {@code off} turns authentication off.
 * The user file is a plain path (no variables, unlike nginx), read at load, relative to the main
 * config file's folder as nginx's conf prefix.
 */
public final class AuthDirectives {
    /** A realm as written, and where, for the warning about a realm without a user file. */
    record Realm(ComplexValue<Request> value, SourcePos pos) {
    }

    static final Setting<Realm> REALM = Setting.of("auth_basic", null);
    static final Setting<UserFile> USER_FILE = Setting.of("auth_basic_user_file", null);

    private AuthDirectives() {
    }

    public static void register(DirectiveRegistry r) {
        var contexts = EnumSet.of(HTTP, SERVER, LOCATION);
        r.add(DirectiveSpec.simple("auth_basic", contexts, 1, 1, AuthDirectives::realm))
                .add(DirectiveSpec.simple("auth_basic_user_file", contexts, 1, 1, AuthDirectives::userFile));
    }

    /**
     * Wires authentication into the http model of the configuration {@code ctx} loads: each server
     * and location gets the check its merged settings describe.
     */
    public static void install(LoadContext ctx) {
        ctx.put(AuthCheck.Factory.class, level -> check(level, ctx));
    }

    private static void realm(LoadContext ctx, Block block, ConfigNode node) throws ConfigException {
        block.set(REALM, new Realm(HttpDirectives.compile(ctx, node, node.arg(0)), node.pos()), node);
    }

    private static void userFile(LoadContext ctx, Block block, ConfigNode node) throws ConfigException {
        String value = node.arg(0);
        if (value.indexOf('$') >= 0) {
            throw Args.error(node, "variables in \"auth_basic_user_file\" are not supported");
        }
        Path path;
        try {
            path = ctx.resolveConf(value);
        } catch (InvalidPathException e) {
            throw Args.invalidValue(node, value);
        }
        UserFiles files = ctx.service(UserFiles.class, UserFiles::new);
        block.set(USER_FILE, files.get(path, node, System.nanoTime()), node);
    }

    /**
     * The check of a merged level: none when the realm is unset or {@code off}, or (as in nginx)
     * when no user file applies, which loads with a warning since it is surely a mistake.
     */
    private static AuthCheck check(Block level, LoadContext ctx) {
        Realm realm = level.get(REALM);
        if (realm == null || realm.value().isConstant() && realm.value().source().equals("off")) {
            return null;
        }
        UserFile file = level.get(USER_FILE);
        if (file == null) {
            if (ctx.service(UserFiles.class, UserFiles::new).firstWarning(realm.pos())) {
                ctx.warn("\"auth_basic\" without \"auth_basic_user_file\" does nothing", realm.pos());
            }
            return null;
        }
        return new BasicAuth(realm.value(), file);
    }
}
