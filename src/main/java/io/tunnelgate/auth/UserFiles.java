package io.tunnelgate.auth;

import io.tunnelgate.config.ConfigException;
import io.tunnelgate.config.ConfigNode;
import io.tunnelgate.log.OsErrors;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The user files of one configuration, by absolute path: a load-context service, so that every
 * level naming the same file shares one {@link UserFile} (one reload check, one cache). Also
 * remembers which {@code auth_basic} lines were already warned about.
 */
final class UserFiles {
    private final Map<Path, UserFile> files = new HashMap<>();
    private final Set<Object> warned = new HashSet<>();

    /**
     * The file at {@code path}, read now if this configuration has not read it yet.
     *
     * @param node the {@code auth_basic_user_file} directive, where an unreadable file is reported
     * @throws ConfigException {@code open() "..." failed (...)} at the directive, or the reason and
     *     {@code file:line} of a bad line in the file
     */
    UserFile get(Path path, ConfigNode node, long nowNanos) throws ConfigException {
        UserFile f = files.get(path);
        if (f == null) {
            try {
                f = UserFile.load(path, nowNanos);
            } catch (IOException e) {
                throw new ConfigException("open() \"" + path + "\" failed (" + OsErrors.describe(e) + ")", node.pos());
            }
            files.put(path, f);
        }
        return f;
    }

    /** True the first time it is asked about {@code what}. */
    boolean firstWarning(Object what) {
        return warned.add(what);
    }
}
