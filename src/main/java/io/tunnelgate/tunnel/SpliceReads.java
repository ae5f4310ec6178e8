package io.tunnelgate.tunnel;

import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.epoll.AbstractEpollStreamChannel;
import io.netty.util.UncheckedBooleanSupplier;

/**
 * The receive-buffer allocator of every epoll connection the proxy accepts or opens: it delegates to
 * the channel's own allocator and lets a {@link Splice} watch the splice(2) reads of its channel.
 *
 * <p>Why a detour through the allocator: Netty's {@code spliceTo} moves bytes without passing them
 * through the pipeline, and the only per-splice calls it makes are to this handle ({@code guess()}
 * before each round, {@code lastBytesRead(n)} after each splice(2)). That is where the relay sees
 * activity for the idle timer and counts bytes. It is also the only way to end a splice that was
 * started without a length: {@code guess()} throwing makes Netty drop the task before it touches
 * either descriptor. An epoll channel creates its handle once, at its first read, so the allocator
 * must be in place from the start; it cannot be swapped in when a relay begins.
 */
public final class SpliceReads implements RecvByteBufAllocator {
    /**
     * Netty's default sizing, one instance for every connection: it only holds its limits (the
     * per-connection state is in the handle), while the instance each channel is born with would
     * stay for the channel's life, 64 bytes per idle tunnel.
     */
    private static final RecvByteBufAllocator SHARED_DEFAULT = new AdaptiveRecvByteBufAllocator();

    private final RecvByteBufAllocator base;
    /** The direction splicing from this channel, or null; touched only on the channel's event loop. */
    private Splice splice;

    private SpliceReads(RecvByteBufAllocator base) {
        this.base = base;
    }

    /** Installs the allocator on an epoll stream channel that has not read yet; other channels are left alone. */
    public static <C extends Channel> C install(C ch) {
        if (ch instanceof AbstractEpollStreamChannel) {
            RecvByteBufAllocator own = ch.config().getRecvByteBufAllocator();
            RecvByteBufAllocator base = own.getClass() == AdaptiveRecvByteBufAllocator.class ? SHARED_DEFAULT : own;
            ch.config().setRecvByteBufAllocator(new SpliceReads(base));
        }
        return ch;
    }

    /** A factory whose channels get the allocator (for upstream connections). */
    public static <C extends Channel> ChannelFactory<C> installing(ChannelFactory<C> channels) {
        return () -> install(channels.newChannel());
    }

    /** The allocator of {@code ch}, or null when it has none (not epoll, or opened elsewhere). */
    static SpliceReads of(Channel ch) {
        return ch.config().getRecvByteBufAllocator() instanceof SpliceReads r ? r : null;
    }

    /** Reports this channel's splice(2) reads to {@code direction} until it stops. */
    void watch(Splice direction) {
        this.splice = direction;
    }

    @Override
    public Handle newHandle() {
        return new Watched((ExtendedHandle) base.newHandle());
    }

    /** The channel's own handle, with the two calls splicing makes reported to the watching direction. */
    private final class Watched extends DelegatingHandle implements ExtendedHandle {
        Watched(ExtendedHandle delegate) {
            super(delegate);
        }

        /** Called only by a splice round (buffer reads ask the delegate directly): a stopped direction ends here. */
        @Override
        public int guess() {
            Splice s = splice;
            if (s != null && !s.mayContinue()) {
                splice = null;
                throw new Splice.Stopped();
            }
            return super.guess();
        }

        @Override
        public void lastBytesRead(int bytes) {
            super.lastBytesRead(bytes);
            Splice s = splice;
            if (bytes > 0 && s != null) {
                s.spliced(bytes);
            }
        }

        @Override
        public boolean continueReading(UncheckedBooleanSupplier maybeMoreDataSupplier) {
            return ((ExtendedHandle) delegate()).continueReading(maybeMoreDataSupplier);
        }
    }
}
