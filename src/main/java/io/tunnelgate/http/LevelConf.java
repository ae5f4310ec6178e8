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
 * @param types {@code types} and {@code default_type}: the Content-Type of files and texts
 * @param errorPages {@code error_page} entries, in config order
 * @param recursiveErrorPages {@code recursive_error_pages}
 * @param uninitializedWarn {@code uninitialized_variable_warn}: log reads of unset user variables
 * @param limits {@code client_max_body_size}, {@code keepalive_requests}, {@code keepalive_time}
 * @param addHeaders {@code add_header} entries, in config order
 * @param preAccess {@code limit_req} and {@code limit_conn} (nginx's pre-access phase)
 * @param proxyStatus {@code proxy_status}: proxy-generated errors carry {@code Proxy-Status}
 */
public record LevelConf(List<AccessLog> accessLogs, ErrorLog errorLog, boolean serverTokens, ContentTypes types,
                        List<ErrorPage> errorPages, boolean recursiveErrorPages, boolean uninitializedWarn,
                        RequestLimits limits, List<AddHeader> addHeaders, PreAccess preAccess,
                        boolean proxyStatus) {
    public LevelConf {
        accessLogs = List.copyOf(accessLogs);
        errorPages = List.copyOf(errorPages);
        addHeaders = List.copyOf(addHeaders);
    }

    /**
     * A level with the built-in types, {@code default_type text/plain}, no error pages or added
     * headers, no pre-access phase, and nginx's limits.
     */
    public LevelConf(List<AccessLog> accessLogs, ErrorLog errorLog, boolean serverTokens) {
        this(accessLogs, errorLog, serverTokens, ContentTypes.DEFAULT, List.of(), false, true, RequestLimits.DEFAULT,
                List.of(), PreAccess.NONE, true);
    }

    /** The first {@code error_page} entry that covers {@code status}, or null. */
    public ErrorPage errorPage(int status) {
        for (ErrorPage page : errorPages) {
            if (page.status() == status) {
                return page;
            }
        }
        return null;
    }
}
