package io.tunnelgate.server;

import io.tunnelgate.config.ConfigReader;
import io.tunnelgate.http.HttpConf;
import java.nio.file.Path;
import java.util.List;

/**
 * A whole loaded configuration: process settings, the http section, the files it came from (for
 * {@code -T}) and the warnings loading produced.
 *
 * @param source the main config file, or null for the built-in config
 */
public record ProxyConfig(ProcessConf process, HttpConf http, List<ConfigReader.LoadedFile> files,
                          List<String> warnings, Path source) {
    public ProxyConfig {
        files = List.copyOf(files);
        warnings = List.copyOf(warnings);
    }
}
