package io.tunnelgate.server;

import io.tunnelgate.log.ErrorLog;
import java.nio.file.Path;

/**
 * The main and events sections: how many event loops, which transport, the connection limit and
 * the process-level files.
 *
 * @param workers {@code worker_processes}: event-loop threads
 * @param workerConnections {@code worker_connections}: connections (client and upstream) per loop
 * @param transport {@code use}, or the preferred transport
 * @param busyPollMicros {@code busy_poll}: how long an epoll loop that has just worked polls before
 *                       it sleeps, 0 for not at all
 * @param notsentLowat {@code tcp_notsent_lowat}: the TCP_NOTSENT_LOWAT of every client and upstream
 *                     socket, 0 to leave the kernel's
 * @param pidFile {@code pid}, or null for none
 * @param errorLog the main-level error log (start-up notices and process errors)
 */
public record ProcessConf(int workers, int workerConnections, Transport transport, int busyPollMicros,
                          int notsentLowat, Path pidFile, ErrorLog errorLog) {
    /** The most connections, client and upstream together, the process takes at once. */
    public long connectionLimit() {
        return (long) workers * workerConnections;
    }
}
