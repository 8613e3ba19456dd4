package dev.vendorgate.gateway.health;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Function;

/**
 * Serves the metrics listener: {@code /healthz} (the process is alive), {@code /readyz} (it should
 * get traffic) and any extra endpoints given (such as {@code /metrics}). Plain HTTP, GET only.
 */
final class HealthHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    /** An endpoint's answer. */
    record Answer(HttpResponseStatus status, String contentType, byte[] body) {}

    private final Readiness readiness;
    private final Map<String, Function<FullHttpRequest, Answer>> extra;

    HealthHandler(Readiness readiness, Map<String, Function<FullHttpRequest, Answer>> extra) {
        this.readiness = readiness;
        this.extra = extra;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        String path = request.uri().split("\\?", 2)[0];
        Answer answer;
        if (!request.decoderResult().isSuccess()) {
            answer = text(HttpResponseStatus.BAD_REQUEST, "bad request\n");
        } else if (!request.method().equals(HttpMethod.GET) && !request.method().equals(HttpMethod.HEAD)) {
            answer = text(HttpResponseStatus.METHOD_NOT_ALLOWED, "GET only\n");
        } else if (path.equals("/healthz")) {
            answer = json(HttpResponseStatus.OK, "{\"status\":\"ok\"}\n");
        } else if (path.equals("/readyz")) {
            StringBuilder body =
                    new StringBuilder("{\"ready\":").append(readiness.ready()).append(",\"checks\":{");
            boolean first = true;
            for (Map.Entry<String, Boolean> check : readiness.checks().entrySet()) {
                body.append(first ? "" : ",")
                        .append('"')
                        .append(check.getKey())
                        .append("\":")
                        .append(check.getValue());
                first = false;
            }
            body.append('}');
            String warning = readiness.auditWarning();
            if (warning != null) {
                // serving goes on (the new chain segment is sound), but nobody reading this may miss it
                body.append(",\"warnings\":{\"audit\":");
                dev.vendorgate.gateway.http.Json.quote(body, warning).append('}');
            }
            body.append("}\n");
            answer = json(
                    readiness.ready() ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE,
                    body.toString());
        } else if (extra.containsKey(path)) {
            answer = extra.get(path).apply(request);
        } else {
            answer = text(HttpResponseStatus.NOT_FOUND, "not found\n");
        }
        boolean head = request.method().equals(HttpMethod.HEAD);
        ByteBuf body = head
                ? ctx.alloc().buffer(0)
                : ctx.alloc().buffer(answer.body().length).writeBytes(answer.body());
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, answer.status(), body);
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, answer.contentType())
                .setInt(HttpHeaderNames.CONTENT_LENGTH, answer.body().length)
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        if (HttpUtil.isKeepAlive(request)) {
            ctx.writeAndFlush(response);
        } else {
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    static Answer text(HttpResponseStatus status, String text) {
        return new Answer(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
    }

    static Answer json(HttpResponseStatus status, String json) {
        return new Answer(status, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
