package io.tunnelgate.script;

/**
 * The condition of an {@code if}, with nginx's forms: a variable (false when empty or "0"),
 * {@code =} / {@code !=} string comparison, {@code ~ ~* !~ !~*} regex matches (a match sets the
 * captures), and the file tests {@code -f -d -e -x} (negated with {@code !}), which need the file
 * system and so are evaluated off the event loop by the caller (see {@link ScriptRun}).
 *
 * @param <C> the request type
 */
public sealed interface Condition<C extends ScriptContext> {
    /** {@code if ($var)}. */
    record Truthy<C extends ScriptContext>(ComplexValue<C> value) implements Condition<C> {
    }

    /** {@code if ($a = b)} and {@code if ($a != b)}. */
    record Equals<C extends ScriptContext>(ComplexValue<C> left, ComplexValue<C> right, boolean negate)
            implements Condition<C> {
    }

    /** {@code if ($a ~ re)} and the other regex operators. */
    record Matches<C extends ScriptContext>(ComplexValue<C> left, Regex<C> regex, boolean negate)
            implements Condition<C> {
    }

    /** {@code if (-f $path)} and the other file tests. */
    record FileTest<C extends ScriptContext>(ComplexValue<C> path, FileKind kind, boolean negate)
            implements Condition<C> {
    }

    /** What a file test asks. */
    enum FileKind {
        /** {@code -f}: a regular file exists. */
        FILE,
        /** {@code -d}: a directory exists. */
        DIRECTORY,
        /** {@code -e}: a file, directory or link exists. */
        EXISTS,
        /** {@code -x}: an executable file exists. */
        EXECUTABLE
    }
}
