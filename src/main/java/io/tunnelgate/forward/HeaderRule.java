package io.tunnelgate.forward;

import io.tunnelgate.http.Request;
import io.tunnelgate.script.ComplexValue;
import java.util.Locale;

/**
 * One {@code proxy_set_header name value}: the header is sent with the evaluated value, or not at
 * all when that is empty; either way the client's own header of that name is not passed.
 *
 * @param lowerName the name lower-cased, to compare with client header names
 */
record HeaderRule(String name, String lowerName, ComplexValue<Request> value) {
    static HeaderRule of(String name, ComplexValue<Request> value) {
        return new HeaderRule(name, name.toLowerCase(Locale.ROOT), value);
    }
}
