package io.tunnelgate.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.util.concurrent.FastThreadLocal;
import io.tunnelgate.log.LineBuilder;
import java.util.List;

/**
 * The end of a request: its access-log lines, and what happens to the connection afterwards.
 *
 * <p>nginx writes the log line before it closes the client socket, and tests (and operators
 * tailing the log) rely on that order. The line is formatted on the event loop and written by the
 * log writer thread; the follow-up action runs on the event loop once the line is in the file, so
 * the order holds without the event loop ever touching a file.
 */
public final class RequestEnd {
    private static final FastThreadLocal<LineBuilder> LINE = new FastThreadLocal<>() {
        @Override
        protected LineBuilder initialValue() {
            return new LineBuilder();
        }
    };

    private RequestEnd() {
    }

    /**
     * Ends the request (its {@link Request#onEnd} actions run first), writes its access-log lines,
     * then runs {@code then} on the connection's event loop (at once when there is nothing to log);
     * {@code then} may be null when nothing waits for them.
     */
    public static void log(Request req, Runnable then) {
        req.end();
        List<AccessLog> logs = req.level().accessLogs();
        int last = -1;
        for (int i = 0; i < logs.size(); i++) {
            if (logs.get(i).accepts(req)) {
                last = i;
            }
        }
        if (last < 0) {
            if (then != null) {
                then.run();
            }
            return;
        }
        LineBuilder line = LINE.get();
        Channel ch = req.connection().channel();
        for (int i = 0; i <= last; i++) {
            AccessLog log = logs.get(i);
            if (i != last && !log.accepts(req)) {
                continue;
            }
            line.reset();
            log.format().format(req, line);
            if (i == last && then != null) {
                // one writer thread writes lines in order, so when the last one is written all are
                log.target().append(line.toByteArray(), ch.eventLoop(), then);
            } else {
                // nobody waits for this line itself (a closing request's last line takes it along)
                log.target().appendSoon(line.toByteArray());
            }
        }
    }

    /** Writes a final response, logs, and closes the connection (lingering) after both. */
    public static void sendAndClose(Request req, Response resp) {
        Channel ch = req.connection().channel();
        ChannelFuture written = write(req, resp);
        log(req, () -> written.addListener(f -> LingeringClose.start(ch)));
    }

    /** Logs the request, then closes the connection at once (nothing more to send). */
    public static void logAndClose(Request req) {
        Channel ch = req.connection().channel();
        log(req, ch::close);
    }

    /** Writes a response and counts it for the access log. */
    static ChannelFuture write(Request req, Response resp) {
        req.status(resp.status());
        req.addSent(resp.bytes().readableBytes(), resp.bodyLength());
        return req.connection().channel().writeAndFlush(resp.bytes());
    }
}
