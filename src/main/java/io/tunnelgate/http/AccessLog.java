package io.tunnelgate.http;

import io.tunnelgate.log.LogFormat;
import io.tunnelgate.log.LogTarget;
import io.tunnelgate.script.ComplexValue;

/**
 * One {@code access_log path format [if=condition]} line: a target and the compiled format written
 * to it.
 *
 * @param condition {@code if=}: the line is skipped when it evaluates to "" or "0"; null = always
 */
public record AccessLog(LogTarget target, LogFormat<Request> format, ComplexValue<Request> condition) {
    /** Whether this request should be logged here. */
    public boolean accepts(Request req) {
        if (condition == null) {
            return true;
        }
        String v = condition.evaluate(req);
        return !v.isEmpty() && !v.equals("0");
    }
}
