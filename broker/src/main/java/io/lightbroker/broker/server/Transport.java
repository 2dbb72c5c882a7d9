package io.lightbroker.broker.server;

import io.netty.channel.Channel;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.Collection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The socket transport: Netty's native epoll where it loads, NIO otherwise, or io_uring when
 * asked for (the {@code transport} setting). io_uring is opt-in: it needs Linux 5.14 or later
 * and is refused where seccomp blocks its system calls (Docker's default profile does), so an
 * unavailable io_uring falls back to epoll with a warning rather than failing the start.
 */
record Transport(String name, IoHandlerFactory factory, Class<? extends ServerChannel> serverChannel,
                 Class<? extends Channel> socketChannel) {
    private static final Logger LOG = LoggerFactory.getLogger(Transport.class);

    /** The transport the {@code transport} setting names ({@code auto}, {@code epoll}, {@code io_uring}, {@code nio}). */
    static Transport choose(String wanted) {
        switch (wanted) {
            case "nio":
                return nio();
            case "io_uring":
                if (IoUring.isAvailable()) {
                    return new Transport("io_uring", IoUringIoHandler.newFactory(), IoUringServerSocketChannel.class,
                            IoUringSocketChannel.class);
                }
                LOG.warn("transport io_uring is not available here ({}); using {}", IoUring.unavailabilityCause(),
                        Epoll.isAvailable() ? "epoll" : "nio");
                return best();
            case "epoll":
                if (!Epoll.isAvailable()) {
                    LOG.warn("transport epoll is not available here ({}); using nio", Epoll.unavailabilityCause());
                }
                return best();
            default:
                return best();
        }
    }

    /**
     * Whether the loop wakes for a scheduled task within microseconds. epoll and io_uring time
     * their waits in nanoseconds; NIO's selector rounds every timeout up to a whole millisecond,
     * which would turn a write-coalescing hold of tens of microseconds into one of a millisecond.
     */
    boolean preciseTimers() {
        return !name.equals("nio");
    }

    static Transport best() {
        if (Epoll.isAvailable()) {
            return new Transport("epoll", EpollIoHandler.newFactory(), EpollServerSocketChannel.class, EpollSocketChannel.class);
        }
        return nio();
    }

    private static Transport nio() {
        return new Transport("nio", NioIoHandler.newFactory(), NioServerSocketChannel.class, NioSocketChannel.class);
    }

    /**
     * @param created every thread the group starts is added here, so that a close can join them:
     *                a group's termination future completes just before its threads exit
     */
    MultiThreadIoEventLoopGroup group(int threads, String prefix, Collection<Thread> created) {
        DefaultThreadFactory tf = new DefaultThreadFactory(prefix, true) {
            @Override
            protected Thread newThread(Runnable r, String name) {
                Thread t = super.newThread(r, name);
                created.add(t);
                return t;
            }
        };
        return new MultiThreadIoEventLoopGroup(threads, tf, factory);
    }
}
