package io.tunnelgate.testsupport;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;

/** Small socket chores shared by the origins. */
final class Sockets {

    private Sockets() {
    }

    /** Closes, ignoring errors: used on paths where the peer may already be gone. */
    static void closeQuietly(Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException ignored) {
            // The socket is being abandoned; there is nobody left to tell.
        }
    }

    /**
     * Sends FIN after everything written, discards input that already arrived, then closes. Closing with unread
     * input makes Linux send RST, which can destroy data still in flight to the peer; discarding what is there
     * avoids that in the common case (a peer that sent a few bytes we never needed).
     */
    static void closeGracefully(Socket socket) {
        try {
            if (!socket.isClosed() && !socket.isOutputShutdown()) {
                socket.shutdownOutput();
            }
            discardAvailable(socket.getInputStream());
        } catch (IOException ignored) {
            // Already reset or closed by the peer: closing below is all that is left to do.
        }
        closeQuietly(socket);
    }

    private static void discardAvailable(InputStream in) throws IOException {
        for (int n; (n = in.available()) > 0; ) {
            in.skipNBytes(n);
        }
    }
}
