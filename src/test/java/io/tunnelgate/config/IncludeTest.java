package io.tunnelgate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code include} expansion and file reading, on real files in a temporary directory. */
class IncludeTest {

    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
        return p;
    }

    private static void assertError(Path main, String reason, SourcePos pos) {
        assertThatThrownBy(() -> ConfigReader.read(main))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.reason()).isEqualTo(reason);
                    assertThat(e.pos()).isEqualTo(pos);
                });
    }

    @Test
    void readsTheMainFile() throws Exception {
        Path main = write("tunnelgate.conf", "worker_processes 1;\n");
        ConfigReader.Result r = ConfigReader.read(main);
        assertThat(r.nodes()).singleElement().satisfies(n -> {
            assertThat(n.name()).isEqualTo("worker_processes");
            assertThat(n.pos()).isEqualTo(new SourcePos(main, 1));
        });
        assertThat(r.files()).containsExactly(new ConfigReader.LoadedFile(main, "worker_processes 1;\n"));
    }

    @Test
    void globIncludesAreSortedAndSplicedWithTheirOwnPositions() throws Exception {
        Path b = write("conf.d/b.conf", "\nb1;\nb2;\n");
        Path a = write("conf.d/a.conf", "a1;");
        Path c = write("conf.d/c10.conf", "c;");
        write("conf.d/skip.txt", "nope");
        write("conf.d/.hidden.conf", "hidden;");
        Files.createDirectories(dir.resolve("conf.d/dir.conf"));
        Path main = write("main.conf", "first;\nhttp {\n  include conf.d/*.conf;\n  last;\n}\n");

        ConfigReader.Result r = ConfigReader.read(main);

        ConfigNode http = r.nodes().get(1);
        assertThat(http.block()).extracting(ConfigNode::name)
                .containsExactly("a1", "b1", "b2", "c", "last");
        assertThat(http.block()).extracting(ConfigNode::pos).containsExactly(
                new SourcePos(a, 1), new SourcePos(b, 2), new SourcePos(b, 3),
                new SourcePos(c, 1), new SourcePos(main, 4));
        assertThat(r.files()).extracting(ConfigReader.LoadedFile::path).containsExactly(main, a, b, c);
        assertThat(r.files().get(2).text()).isEqualTo("\nb1;\nb2;\n");
    }

    @Test
    void globOrderIsBytewise() throws Exception {
        Path upper = write("d/B.conf", "upper;");
        Path lower = write("d/a.conf", "lower;");
        Path ten = write("d/a10.conf", "ten;");
        Path two = write("d/a2.conf", "two;");
        Path main = write("main.conf", "include d/*;");
        assertThat(ConfigReader.read(main).nodes()).extracting(n -> n.pos().file())
                .containsExactly(upper, lower, ten, two);
    }

    @Test
    void globCanMatchDirectoriesAndDotFilesWhenAskedTo() throws Exception {
        Path x = write("sites/one/x.conf", "one;");
        Path y = write("sites/two/x.conf", "two;");
        Path dot = write("d/.dot.conf", "dot;");
        Path main = write("main.conf", "include sites/*/x.conf;\ninclude d/.*.conf;");
        assertThat(ConfigReader.read(main).nodes()).extracting(n -> n.pos().file())
                .containsExactly(x, y, dot);
    }

    @Test
    void globWithoutMatchIsNotAnError() throws Exception {
        Path main = write("main.conf", "include none/*.conf;\ninclude x?.conf;\ninclude [q].conf;\nok;");
        ConfigReader.Result r = ConfigReader.read(main);
        assertThat(r.nodes()).extracting(ConfigNode::name).containsExactly("ok");
        assertThat(r.files()).hasSize(1);
    }

    @Test
    void bracesInAGlobAreLiteralAsInGlib() throws Exception {
        Path literal = write("d/{a,b}1.conf", "lit;");
        write("d/a1.conf", "alt;");
        Path main = write("main.conf", "include \"d/{a,b}*.conf\";");
        assertThat(ConfigReader.read(main).nodes()).extracting(ConfigNode::name).containsExactly("lit");
        assertThat(ConfigReader.read(main).nodes().get(0).pos().file()).isEqualTo(literal);
    }

    @Test
    void relativeIncludeResolvesAgainstTheMainFilesDirectory() throws Exception {
        Path inner = write("common/inner.conf", "inner;");
        write("sub/common/inner.conf", "wrong;");
        Path outer = write("sub/outer.conf", "outer;\ninclude common/inner.conf;");
        Path main = write("main.conf", "include sub/outer.conf;");
        ConfigReader.Result r = ConfigReader.read(main);
        assertThat(r.nodes()).extracting(ConfigNode::name).containsExactly("outer", "inner");
        assertThat(r.nodes().get(1).pos()).isEqualTo(new SourcePos(inner, 1));
        assertThat(r.files()).extracting(ConfigReader.LoadedFile::path).containsExactly(main, outer, inner);
    }

    @Test
    void absoluteIncludeIsTakenAsIs() throws Exception {
        Path other = write("elsewhere/x.conf", "x;");
        Path main = write("conf/main.conf", "include " + other + ";");
        assertThat(ConfigReader.read(main).nodes().get(0).pos()).isEqualTo(new SourcePos(other, 1));
    }

    @Test
    void textReaderResolvesIncludesNextToThePretendFile() throws Exception {
        Path inc = write("inc.conf", "from_file 1;");
        ConfigReader.Result r = ConfigReader.read("a;\ninclude inc.conf;", dir.resolve("default.conf"));
        assertThat(r.nodes()).extracting(ConfigNode::pos)
                .containsExactly(new SourcePos(dir.resolve("default.conf"), 1), new SourcePos(inc, 1));
        assertThat(r.files()).extracting(ConfigReader.LoadedFile::text)
                .containsExactly("a;\ninclude inc.conf;", "from_file 1;");
    }

    @Test
    void missingIncludeNamesTheAbsolutePathAndTheIncludeLine() throws Exception {
        Path main = write("main.conf", "a;\n\ninclude missing.conf;\n");
        assertError(main, "open() \"" + dir.resolve("missing.conf") + "\" failed (2: No such file or directory)",
                new SourcePos(main, 3));
    }

    @Test
    void missingMainFileHasNoPosition() {
        Path main = dir.resolve("nope.conf");
        assertThatThrownBy(() -> ConfigReader.read(main))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.getMessage()).isEqualTo("open() \"" + main + "\" failed (2: No such file or directory)");
                    assertThat(e.pos()).isNull();
                });
    }

    @Test
    void unreadableIncludeIsPermissionDenied() throws Exception {
        Path secret = write("secret.conf", "s;");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("---------"));
        assumeFalse(Files.isReadable(secret), "running as root: every file is readable");
        Path main = write("main.conf", "include secret.conf;");
        assertError(main, "open() \"" + secret + "\" failed (13: Permission denied)", new SourcePos(main, 1));
    }

    @Test
    void includingADirectoryFailsAsNginxDoes() throws Exception {
        Files.createDirectories(dir.resolve("d"));
        Path main = write("main.conf", "include d;");
        assertError(main, "pread() \"" + dir.resolve("d") + "\" failed (21: Is a directory)", new SourcePos(main, 1));
    }

    @Test
    void includeRecursionIsStopped() throws Exception {
        Path self = write("self.conf", "x;\ninclude self.conf;\n");
        Path main = write("main.conf", "include self.conf;");
        assertError(main, "include nesting is too deep (\"" + self + "\")", new SourcePos(self, 2));
    }

    @Test
    void thirtyTwoNestedIncludesAreAllowed() throws Exception {
        for (int i = 1; i <= IncludeLoader.MAX_DEPTH; i++) {
            write("n" + i + ".conf", i == IncludeLoader.MAX_DEPTH ? "deepest;" : "include n" + (i + 1) + ".conf;");
        }
        Path main = write("main.conf", "include n1.conf;");
        assertThat(ConfigReader.read(main).nodes()).extracting(ConfigNode::name).containsExactly("deepest");

        write("n" + IncludeLoader.MAX_DEPTH + ".conf", "include n33.conf;");
        Path n33 = write("n33.conf", "too_deep;");
        assertError(main, "include nesting is too deep (\"" + n33 + "\")",
                new SourcePos(dir.resolve("n32.conf"), 1));
    }

    @Test
    void includeTakesExactlyOneArgument() throws Exception {
        Path none = write("none.conf", "\ninclude;");
        assertError(none, "invalid number of arguments in \"include\" directive", new SourcePos(none, 2));
        Path two = write("two.conf", "include a b;");
        assertError(two, "invalid number of arguments in \"include\" directive", new SourcePos(two, 1));
    }

    @Test
    void includeWithABlockIsRejectedWithoutReadingIt() throws Exception {
        Path main = write("main.conf", "include x.conf {\n}\n");
        assertError(main, "directive \"include\" is not terminated by \";\"", new SourcePos(main, 1));
    }

    @Test
    void quotedIncludeIsStillInclude() throws Exception {
        write("q.conf", "q;");
        Path main = write("main.conf", "\"include\" 'q.conf';");
        assertThat(ConfigReader.read(main).nodes()).extracting(ConfigNode::name).containsExactly("q");
    }

    @Test
    void sameFileIncludedTwiceIsListedOnce() throws Exception {
        Path x = write("x.conf", "x;");
        Path main = write("main.conf", "include x.conf;\ninclude x.conf;");
        ConfigReader.Result r = ConfigReader.read(main);
        assertThat(r.nodes()).hasSize(2);
        assertThat(r.files()).extracting(ConfigReader.LoadedFile::path).containsExactly(main, x);
    }

    @Test
    void syntaxErrorInIncludedFileNamesThatFile() throws Exception {
        Path bad = write("bad.conf", "ok;\nbroken \"x\"y;\n");
        Path main = write("main.conf", "include bad.conf;");
        assertError(main, "unexpected \"y\"", new SourcePos(bad, 2));
    }

    @Test
    void includedFileCannotCloseTheIncludingBlock() throws Exception {
        Path closer = write("closer.conf", "a;\n}\n");
        Path main = write("main.conf", "http {\ninclude closer.conf;\n");
        assertError(main, "unexpected \"}\"", new SourcePos(closer, 2));
    }

    @Test
    void includedFileMustCloseItsOwnBlocks() throws Exception {
        Path opener = write("opener.conf", "server {\n");
        Path main = write("main.conf", "include opener.conf;\n}\n");
        assertError(main, "unexpected end of file, expecting \"}\"", new SourcePos(opener, 2));
    }

    @Test
    void includeErrorComesBeforeLaterSyntaxError() throws Exception {
        Path main = write("main.conf", "include missing.conf;\n}\n");
        assertThatThrownBy(() -> ConfigReader.read(main)).hasMessageStartingWith("open() ");
    }

    @Test
    void includeInsideDeepBlockSplicesThere() throws Exception {
        Path loc = write("loc.conf", "return 204;");
        Path main = write("main.conf", "http { server { location / { include loc.conf; } } }");
        List<ConfigNode> inLocation = ConfigReader.read(main).nodes().get(0).block().get(0).block().get(0).block();
        assertThat(inLocation).singleElement().satisfies(n -> {
            assertThat(n.name()).isEqualTo("return");
            assertThat(n.pos()).isEqualTo(new SourcePos(loc, 1));
        });
    }
}
