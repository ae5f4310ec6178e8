package io.tunnelgate.http;

import io.tunnelgate.script.ComplexValue;
import java.util.ArrayList;
import java.util.List;

/**
 * One {@code add_header name value [always]}: a header added to responses of the level it is
 * set at, whether Tunnelgate wrote them or an upstream did.
 *
 * @param name the header name as written
 * @param value evaluated per response; an empty value adds nothing, as in nginx
 * @param always add it whatever the status; otherwise only with nginx's "safe" statuses
 */
public record AddHeader(String name, ComplexValue<Request> value, boolean always) {
    /**
     * The headers a level adds to a response with {@code status}, as name/value pairs.
     *
     * @return an empty list (no allocation) when nothing applies
     */
    public static List<String> evaluate(Request req, int status) {
        List<AddHeader> headers = req.level().addHeaders();
        if (headers.isEmpty()) {
            return List.of();
        }
        boolean safe = safe(status);
        List<String> out = null;
        for (AddHeader h : headers) {
            if (!h.always && !safe) {
                continue;
            }
            String v = h.value.evaluate(req);
            if (v.isEmpty()) {
                continue;
            }
            if (out == null) {
                out = new ArrayList<>(2 * headers.size());
            }
            out.add(h.name);
            out.add(v);
        }
        return out == null ? List.of() : out;
    }

    /** nginx's list: the statuses add_header without {@code always} applies to. */
    static boolean safe(int status) {
        return switch (status) {
            case 200, 201, 204, 206, 301, 302, 303, 304, 307, 308 -> true;
            default -> false;
        };
    }
}
