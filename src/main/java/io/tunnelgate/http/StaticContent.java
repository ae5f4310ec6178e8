package io.tunnelgate.http;

import io.tunnelgate.config.Block;
import io.tunnelgate.config.ConfigException;

/**
 * Makes the content handler of a level that has no other one (no {@code proxy_pass} or the like):
 * nginx's static files and index. A load-context service, so that the http package does not
 * depend on the package that serves files.
 */
@FunctionalInterface
public interface StaticContent {
    /** The handler for requests served with the merged configuration of {@code level}. */
    ContentHandler create(Block level) throws ConfigException;
}
