package io.tunnelgate.server;

import io.netty.channel.IoHandle;
import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerContext;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.IoOps;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollIoOps;
import java.util.concurrent.TimeUnit;

/**
 * Netty's epoll handler with Tunnelgate's changes.
 *
 * <p>Two to its registrations: a socket that stops waiting for every event stays in the epoll set,
 * edge-triggered and asking for no event, instead of being removed from it; and an interest set
 * equal to the one epoll already has is not submitted again.
 *
 * <p>Why the first: Netty 4.2.18's registration removes the socket ({@code EPOLL_CTL_DEL}) when its
 * interest set becomes empty but keeps its state "added", so the next interest it submits is an
 * {@code EPOLL_CTL_MOD} of a socket epoll no longer holds, which fails with {@code ENOENT}; Netty
 * then fails the write and shuts the output. A half-closed tunnel gets there: once the client's FIN
 * has been read the client's socket waits for nothing, and when the download then fills the client's
 * receive window the relay has to wait for {@code EPOLLOUT}, and the rest of the download was lost.
 * Kept in the set with {@code EPOLLET} and no event, the socket reports only an error or a hang-up,
 * once each: edge-triggered, so a hang-up that stays true does not wake the loop again, which is
 * what Netty's removal guards against. Closing the channel still removes it.
 *
 * <p>And {@code busy_poll}: after an iteration that handled I/O, the loop polls epoll without
 * blocking for up to the configured time before it sleeps, so an answer that comes back within that
 * time is taken without a wake-up (on a virtual machine a sleeping vCPU can take tens of microseconds
 * to run again). Only I/O starts a poll: a loop woken by a timer or a task, or an idle one, sleeps at
 * once; a poll ends as soon as a task is queued. A steady trickle of traffic therefore keeps a loop's
 * core busy, which is what the directive trades for latency (HAProxy's {@code busy-polling}, bounded).
 */
final class EpollHandler implements IoHandler {
    private final IoHandler epoll;
    private final long pollNanos;
    /** The context of the current {@link #run}, seen as one that must not block while polling. */
    private final Polling polling = new Polling();
    /** Whether the last iteration handled I/O, so a poll may find more soon. */
    private boolean busy;

    private EpollHandler(IoHandler epoll, long pollNanos) {
        this.epoll = epoll;
        this.pollNanos = pollNanos;
    }

    /** Netty's handler; after I/O it polls {@code busyPollMicros} before it sleeps (0: it never polls). */
    static IoHandlerFactory factory(int busyPollMicros) {
        IoHandlerFactory epoll = EpollIoHandler.newFactory();
        long pollNanos = TimeUnit.MICROSECONDS.toNanos(busyPollMicros);
        return executor -> new EpollHandler(epoll.newHandler(executor), pollNanos);
    }

    @Override
    public int run(IoHandlerContext context) {
        if (busy && pollNanos > 0 && context.canBlock()) {
            int handled = poll(context);
            // found I/O, or a task was queued meanwhile: the loop has work before it may sleep
            if (handled > 0 || !context.canBlock()) {
                return handled;
            }
        }
        int handled = epoll.run(context);
        busy = handled > 0;
        return handled;
    }

    /** Polls epoll until it finds I/O, a task is queued or the polling time is over; the events handled. */
    private int poll(IoHandlerContext context) {
        polling.context = context;
        long start = System.nanoTime();
        do {
            // a context that cannot block makes Netty's handler poll epoll instead of waiting
            int handled = epoll.run(polling);
            if (handled > 0) {
                return handled;
            }
        } while (context.canBlock() && System.nanoTime() - start < pollNanos);
        return 0;
    }

    /** A loop's context that never lets the handler block. */
    private static final class Polling implements IoHandlerContext {
        IoHandlerContext context;

        @Override
        public boolean canBlock() {
            return false;
        }

        @Override
        public long delayNanos(long currentTimeNanos) {
            return context.delayNanos(currentTimeNanos);
        }

        @Override
        public long deadlineNanos() {
            return context.deadlineNanos();
        }

        @Override
        public void reportActiveIoTime(long activeNanos) {
            context.reportActiveIoTime(activeNanos);
        }

        @Override
        public boolean shouldReportActiveIoTime() {
            return context.shouldReportActiveIoTime();
        }
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
