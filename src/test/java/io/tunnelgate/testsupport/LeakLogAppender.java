package io.tunnelgate.testsupport;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;

/**
 * Logback appender (configured in {@code logback-test.xml} on Netty's leak detector logger) that stores every
 * {@code LEAK:} error in {@link LeakReports}. It is the fallback hook: it sees leaks of detectors that
 * {@link RecordingDetectorFactory} did not create. Public only because Logback instantiates it by class name.
 */
public final class LeakLogAppender extends AppenderBase<ILoggingEvent> {

    @Override
    protected void append(ILoggingEvent event) {
        if (event.getLevel().isGreaterOrEqual(Level.ERROR)) {
            String message = event.getFormattedMessage();
            if (message != null && message.startsWith("LEAK:")) {
                LeakReports.fromLog(message);
            }
        }
    }
}
