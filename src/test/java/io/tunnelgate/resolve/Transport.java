package io.tunnelgate.resolve;

import io.netty.channel.ChannelFactory;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringDatagramChannel;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringSocketChannel;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** An event-loop transport with its channel factories; tests run on NIO and, where available, epoll and io_uring. */
record Transport(String name, Supplier<IoHandlerFactory> handlers,
                 ChannelFactory<? extends DatagramChannel> udp, ChannelFactory<? extends SocketChannel> tcp) {

    static List<Transport> all() {
        List<Transport> all = new ArrayList<>();
        all.add(new Transport("nio", NioIoHandler::newFactory, NioDatagramChannel::new, NioSocketChannel::new));
        if (Epoll.isAvailable()) {
            all.add(new Transport("epoll", EpollIoHandler::newFactory, EpollDatagramChannel::new,
                    EpollSocketChannel::new));
        }
        if (IoUring.isAvailable()) {
            all.add(new Transport("io_uring", IoUringIoHandler::newFactory, IoUringDatagramChannel::new,
                    IoUringSocketChannel::new));
        }
        return all;
    }

    EventLoopGroup newGroup(int threads) {
        return new MultiThreadIoEventLoopGroup(threads, handlers.get());
    }

    @Override
    public String toString() {
        return name;
    }
}
