package io.tunnelgate.limit;

/**
 * The values of {@code $limit_req_status} and {@code $limit_conn_status} (nginx 1.17.6+);
 * {@code limit_conn} uses the first three.
 */
enum LimitStatus {
    /** Within the limits. */
    PASSED,
    /** Refused with the limit's status. */
    REJECTED,
    /** Would have been refused; let through by dry-run mode. */
    REJECTED_DRY_RUN,
    /** Made to wait, then let through. */
    DELAYED,
    /** Would have waited; let through at once by dry-run mode. */
    DELAYED_DRY_RUN
}
