package dev.vendorgate.gateway.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Builds {@code application/problem+json} responses (RFC 9457). The detail is written by the
 * gateway, never copied from a secret, and every problem carries the request id so that a
 * vendor's support ticket can be matched to the audit record.
 */
public final class ProblemResponse {

    public static final String CONTENT_TYPE = "application/problem+json";
    public static final String REQUEST_ID_HEADER = "X-Request-Id";

    private ProblemResponse() {}

    public static FullHttpResponse build(
            ByteBufAllocator alloc, ProblemType type, String detail, String requestId, Set<String> allowedMethods) {
        String json = json(type, detail, requestId);
        ByteBuf body = alloc.buffer(json.length());
        body.writeCharSequence(json, StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, type.status(), body);
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, CONTENT_TYPE)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes())
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE)
                .set(REQUEST_ID_HEADER, requestId);
        if (!allowedMethods.isEmpty()) {
            response.headers().set(HttpHeaderNames.ALLOW, String.join(", ", new java.util.TreeSet<>(allowedMethods)));
        }
        return response;
    }

    /** The JSON body: type, title, status, detail, requestId. */
    public static String json(ProblemType type, String detail, String requestId) {
        StringBuilder out = new StringBuilder(192);
        out.append("{\"type\":");
        Json.quote(out, type.type());
        out.append(",\"title\":");
        Json.quote(out, type.title());
        out.append(",\"status\":").append(type.status().code());
        out.append(",\"detail\":");
        Json.quote(out, detail);
        out.append(",\"requestId\":");
        Json.quote(out, requestId);
        return out.append("}").toString();
    }
}
