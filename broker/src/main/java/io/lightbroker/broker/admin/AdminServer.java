package io.lightbroker.broker.admin;

import io.lightbroker.broker.config.Config;
import io.lightbroker.broker.core.Broker;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin HTTP listener: Netty's HTTP/1.1 codec and aggregator in front of {@link AdminApi}.
 *
 * <p>It runs on its own single-threaded NIO event loop, not on the client loops: admin
 * requests are rare, but some walk every connection or subscription, and that work must never
 * sit between a publisher and its subscribers. Request bodies are capped at
 * {@link #MAX_BODY} bytes (the API takes none); larger ones get 413 from the aggregator. The
 * request line and headers keep the codec's limits (4 KB and 8 KB); past them the answer is 414
 * or 431 and the connection is closed.
 */
public final class AdminServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);
    static final int MAX_BODY = 8 * 1024;

    private final MultiThreadIoEventLoopGroup group =
            new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("lightbroker-admin", true), NioIoHandler.newFactory());
    private final BrokerMetrics metrics;
    private final AdminApi api;
    private Channel listener;

    public AdminServer(Broker broker, Config config, ServerView server) {
        this.metrics = new BrokerMetrics(broker);
        metrics.leafLinks(server.leafLinks());
        this.api = new AdminApi(broker, config, server, metrics);
    }

    /** Binds and returns the bound port (useful with port 0). */
    public int start(String host, int port) {
        Handler handler = new Handler(api);
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(MAX_BODY), handler);
                    }
                });
        try {
            listener = b.bind(new InetSocketAddress(host, port)).syncUninterruptibly().channel();
        } catch (Exception e) {
            throw new IllegalStateException("cannot listen for admin HTTP on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        int bound = ((InetSocketAddress) listener.localAddress()).getPort();
        LOG.info("admin HTTP listening on {}:{}", host, bound);
        return bound;
    }

    public BrokerMetrics metrics() {
        return metrics;
    }

    @Override
    public void close() {
        if (listener != null) {
            listener.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
        metrics.close();
    }

    @ChannelHandler.Sharable
    private static final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final AdminApi api;

        Handler(AdminApi api) {
            this.api = api;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            AdminApi.Response r;
            if (!req.decoderResult().isSuccess()) {
                r = rejected(req.decoderResult().cause());
            } else {
                QueryStringDecoder uri = new QueryStringDecoder(req.uri(), StandardCharsets.UTF_8);
                r = api.handle(new AdminApi.Request(req.method(), uri.path(), new Query(uri.parameters()),
                        req.headers().get(HttpHeaderNames.AUTHORIZATION)));
            }
            FullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, r.status(), Unpooled.wrappedBuffer(r.body()));
            resp.headers().set(HttpHeaderNames.CONTENT_TYPE, r.contentType());
            resp.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
            for (Map.Entry<String, String> h : r.headers().entrySet()) {
                resp.headers().set(h.getKey(), h.getValue());
            }
            HttpUtil.setContentLength(resp, r.body().length);
            boolean keepAlive = HttpUtil.isKeepAlive(req) && req.decoderResult().isSuccess();
            HttpUtil.setKeepAlive(resp, keepAlive);
            if (keepAlive) {
                ctx.writeAndFlush(resp);
            } else {
                ctx.writeAndFlush(resp).addListener(ChannelFutureListener.CLOSE);
            }
        }

        /**
         * A request Netty's decoder could not read. Over a line or header limit it says which one,
         * as HTTP asks: 414 for a request line too long (RFC 9112 section 3 requires it), 431
         * for headers (RFC 6585); anything else is 400. The body limit is the aggregator's 413.
         */
        private static AdminApi.Response rejected(Throwable cause) {
            if (cause instanceof TooLongHttpLineException) {
                return AdminApi.Response.of(HttpResponseStatus.REQUEST_URI_TOO_LONG, AdminApi.TEXT, "request line too long");
            }
            if (cause instanceof TooLongHttpHeaderException) {
                return AdminApi.Response.of(HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, AdminApi.TEXT, "request headers too large");
            }
            return AdminApi.Response.of(HttpResponseStatus.BAD_REQUEST, AdminApi.TEXT, "bad request");
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.debug("admin connection error: {}", cause.toString());
            ctx.close();
        }
    }
}
