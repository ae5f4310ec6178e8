package io.tunnelgate.http;

import io.tunnelgate.script.ComplexValue;

/**
 * One status of an {@code error_page} directive.
 *
 * @param status the status it applies to (300-599)
 * @param overwrite the status to answer with: -1 keeps the error's status, 0 ({@code =} alone)
 *     takes the status of the redirected request, else {@code =code}
 * @param uri where to go: a URI ({@code /...}, an internal redirect), a named location
 *     ({@code @name}), or anything else (a redirect answered with {@code Location})
 * @param args the arguments of a constant URI written with {@code ?}, else null (a URI with
 *     variables is split at its first {@code ?} when evaluated)
 */
public record ErrorPage(int status, int overwrite, ComplexValue<Request> uri, String args) {
}
