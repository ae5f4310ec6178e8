package io.tunnelgate.http;

import io.tunnelgate.script.VariableTable;

/**
 * The variable table for requests, as a load-context service: every package defines its
 * variables in it at start-up, and directives compile complex values against it.
 */
public record RequestVariables(VariableTable<Request> table) {
    /** A table with http's own variables defined. */
    public static RequestVariables withCoreVariables() {
        VariableTable<Request> t = new VariableTable<>();
        HttpVariables.define(t);
        return new RequestVariables(t);
    }
}
