package dev.vendorgate.gateway.admin;

import dev.vendorgate.gateway.http.ProblemResponse;
import dev.vendorgate.gateway.http.RequestIds;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.util.Optional;

/**
 * Serves the ops console's files on GET and HEAD; every other request (the API under
 * {@code /admin/} and {@code /v1/}, unknown paths, other methods) goes on to the admin handler.
 */
final class ConsoleHandler extends ChannelInboundHandlerAdapter {

    private final java.time.Clock clock;

    private final ConsoleFiles files;

    ConsoleHandler(ConsoleFiles files, java.time.Clock clock) {
        this.clock = clock;
        this.files = files;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest request)
                || !request.decoderResult().isSuccess()) {
            ctx.fireChannelRead(msg);
            return;
        }
        boolean head = request.method().equals(HttpMethod.HEAD);
        Optional<ConsoleFiles.File> file = head || request.method().equals(HttpMethod.GET)
                ? files.at(request.uri().split("[?#]", 2)[0])
                : Optional.empty();
        if (file.isEmpty()) {
            ctx.fireChannelRead(msg);
            return;
        }
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        request.release();
        byte[] bytes = file.get().bytes();
        FullHttpResponse response = new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1,
                HttpResponseStatus.OK,
                head ? ctx.alloc().buffer(0) : ctx.alloc().buffer(bytes.length).writeBytes(bytes));
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, file.get().contentType())
                .setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length)
                // the files change with the jar: always asked again, never stale after an upgrade
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_CACHE)
                .set(ProblemResponse.REQUEST_ID_HEADER, RequestIds.next(clock));
        if (keepAlive) {
            ctx.writeAndFlush(response);
        } else {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
