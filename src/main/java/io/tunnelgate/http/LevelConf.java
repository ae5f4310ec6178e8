package io.tunnelgate.http;

import io.tunnelgate.log.ErrorLog;
import java.util.List;

/**
 * The settings every http level (server, location) carries after merging, and that the request
 * finishing code reads whichever level served the request.
 *
 * @param accessLogs where and how to log each request; empty means {@code access_log off}
 * @param errorLog where error-log lines go and from which level
 * @param serverTokens {@code server_tokens}: version in Server headers and error pages
 * @param uninitializedWarn {@code uninitialized_variable_warn}: warn when a variable is read before
 *     any {@code set} gave it a value
 */
public record LevelConf(List<AccessLog> accessLogs, ErrorLog errorLog, boolean serverTokens,
                        boolean uninitializedWarn) {
    public LevelConf {
        accessLogs = List.copyOf(accessLogs);
    }

    /** A level with nginx's default {@code uninitialized_variable_warn on}. */
    public LevelConf(List<AccessLog> accessLogs, ErrorLog errorLog, boolean serverTokens) {
        this(accessLogs, errorLog, serverTokens, true);
    }
}
