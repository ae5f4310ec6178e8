package io.tunnelgate.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file-system calls of the static module refuse to run on the connection's event loop. Every
 * stat, open and close of the module goes through {@link FileProbe}, so this guard (with the
 * integration tests, which would answer 500 if a call ever ran on the loop) is what keeps file
 * I/O off the event loops.
 */
class FileProbeTest {
    @TempDir
    Path dir;
    private final EventLoop loop = new DefaultEventLoop();

    @AfterEach
    void stop() throws Exception {
        loop.shutdownGracefully(0, 0, TimeUnit.SECONDS).sync();
    }

    @Test
    void callsOnTheEventLoopAreRefused() throws Exception {
        Path file = Files.writeString(dir.resolve("f.txt"), "abc");
        Throwable thrown = loop.submit(() -> FileProbe.open(loop, file.toString())).await().cause();
        assertThat(thrown).isInstanceOf(IllegalStateException.class).hasMessageContaining("event loop");
        assertThatThrownBy(() -> loop.submit(() -> FileProbe.stat(loop, file.toString())).sync())
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void callsOffTheLoopWork() throws Exception {
        Path file = Files.writeString(dir.resolve("f.txt"), "abc");
        FileProbe.Result r = FileProbe.open(loop, file.toString());
        assertThat(r.kind()).isEqualTo(FileProbe.Kind.FILE);
        assertThat(r.size()).isEqualTo(3);
        assertThat(r.channel().isOpen()).isTrue();
        FileProbe.close(loop, r.channel());
        assertThat(r.channel().isOpen()).isFalse();
        assertThat(FileProbe.stat(loop, dir.toString()).kind()).isEqualTo(FileProbe.Kind.DIRECTORY);
        assertThat(FileProbe.stat(loop, dir.resolve("none").toString()).kind()).isEqualTo(FileProbe.Kind.ERROR);
        // a NUL cannot be in a file name: reported as a missing file, not as an exception
        assertThat(FileProbe.stat(loop, dir + "/a\0b").error()).hasMessageContaining("a");
    }
}
