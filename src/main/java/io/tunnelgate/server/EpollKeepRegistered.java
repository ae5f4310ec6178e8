package io.tunnelgate.server;

import io.netty.channel.IoHandle;
import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerContext;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.IoOps;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollIoOps;

/**
 * Netty's epoll handler with two changes to its registrations: a socket that stops waiting for
 * every event stays in the epoll set, edge-triggered and asking for no event, instead of being
 * removed from it; and an interest set equal to the one epoll already has is not submitted again.
 *
 * <p>Why: Netty 4.2.18's registration removes the socket ({@code EPOLL_CTL_DEL}) when its interest
 * set becomes empty but keeps its state "added", so the next interest it submits is an
 * {@code EPOLL_CTL_MOD} of a socket epoll no longer holds, which fails with {@code ENOENT}; Netty
 * then fails the write and shuts the output. A half-closed tunnel gets there: once the client's FIN
 * has been read the client's socket waits for nothing, and when the download then fills the client's
 * receive window the relay has to wait for {@code EPOLLOUT}, and the rest of the download was lost.
 * Kept in the set with {@code EPOLLET} and no event, the socket reports only an error or a hang-up,
 * once each: edge-triggered, so a hang-up that stays true does not wake the loop again, which is
 * what Netty's removal guards against. Closing the channel still removes it.
 */
final class EpollKeepRegistered implements IoHandler {
    private final IoHandler epoll;

    private EpollKeepRegistered(IoHandler epoll) {
        this.epoll = epoll;
    }

    static IoHandlerFactory factory() {
        IoHandlerFactory epoll = EpollIoHandler.newFactory();
        return executor -> new EpollKeepRegistered(epoll.newHandler(executor));
    }

    @Override
    public IoRegistration register(IoHandle handle) throws Exception {
        return new Registration(epoll.register(handle));
    }

    @Override
    public void initialize() {
        epoll.initialize();
    }

    @Override
    public int run(IoHandlerContext context) {
        return epoll.run(context);
    }

    @Override
    public void prepareToDestroy() {
        epoll.prepareToDestroy();
    }

    @Override
    public void destroy() {
        epoll.destroy();
    }

    @Override
    public void wakeup() {
        epoll.wakeup();
    }

    @Override
    public boolean isCompatible(Class<? extends IoHandle> handleType) {
        return epoll.isCompatible(handleType);
    }

    /**
     * Submits an empty interest set of a socket that is in the epoll set as {@code EPOLLET} alone,
     * and an interest set equal to the last one not at all: Netty resubmits a connecting socket's
     * unchanged interest when the connect completes, one {@code epoll_ctl} per upstream dial that
     * changes nothing (submits come from the channel's own event loop, so this needs no lock).
     */
    private static final class Registration implements IoRegistration {
        private final IoRegistration epoll;
        /** The events last given to epoll; 0 while the socket is not in the epoll set. */
        private int submitted;

        Registration(IoRegistration epoll) {
            this.epoll = epoll;
        }

        @Override
        public long submit(IoOps ops) {
            int wanted = ((EpollIoOps) ops).value();
            if (wanted == 0 && submitted != 0) {
                ops = EpollIoOps.EPOLLET;
                wanted = EpollIoOps.EPOLLET.value();
            }
            if (wanted == submitted) {
                return wanted;
            }
            long result = epoll.submit(ops);
            submitted = wanted;
            return result;
        }

        @Override
        public <T> T attachment() {
            return epoll.attachment();
        }

        @Override
        public boolean isValid() {
            return epoll.isValid();
        }

        @Override
        public boolean cancel() {
            return epoll.cancel();
        }
    }
}
