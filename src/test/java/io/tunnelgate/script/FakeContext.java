package io.tunnelgate.script;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A request for script unit tests: slots, captures, recorded warnings, and a fixed URI. */
final class FakeContext implements ScriptContext {
    private final Map<Integer, Object> slots = new HashMap<>();
    private final List<String> warnings = new ArrayList<>();
    private Captures captures;
    /** A free-form value the tests' own variables read. */
    String input = "";

    FakeContext(String input) {
        this.input = input;
    }

    List<String> warnings() {
        return warnings;
    }

    @Override
    public Object slot(int index) {
        return slots.get(index);
    }

    @Override
    public void slot(int index, Object value) {
        slots.put(index, value);
    }

    @Override
    public Captures captures() {
        return captures;
    }

    @Override
    public void captures(Captures captures) {
        this.captures = captures;
    }

    @Override
    public void scriptWarning(String message) {
        warnings.add(message);
    }

    @Override
    public String scriptUri() {
        return "/";
    }

    @Override
    public String scriptArgs() {
        return "";
    }

    @Override
    public void rewriteUri(String uri, String args) {
        throw new UnsupportedOperationException();
    }
}
