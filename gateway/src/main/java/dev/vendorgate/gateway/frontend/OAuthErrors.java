package dev.vendorgate.gateway.frontend;

import dev.vendorgate.gateway.http.Json;
import dev.vendorgate.gateway.http.ProblemType;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/**
 * Error responses of the token endpoint as RFC 6749 section 5.2 gives them
 * ({@code {"error":...,"error_description":...}}), also for refusals made before the request
 * reaches the issuer, which elsewhere are problem documents. See docs/tokens.md.
 */
final class OAuthErrors {

    /** The status and RFC 6749 error code that stand for a refusal on the token endpoint. */
    record Code(int status, String error) {}

    private OAuthErrors() {}

    /**
     * What a refusal of {@code type} is on the token endpoint. A certificate that identifies no
     * client is {@code invalid_client} (401, without {@code WWW-Authenticate}: the client
     * authenticates with TLS, not an HTTP scheme). Limits and outages keep their status (429, 503,
     * with {@code Retry-After}); RFC 6749 has no code for them at the token endpoint, so they use
     * the registered {@code temporarily_unavailable}.
     */
    static Code of(ProblemType type) {
        return switch (type) {
            case UNKNOWN_IDENTITY,
                    INVALID_SPIFFE_ID,
                    AMBIGUOUS_IDENTITY,
                    VENDOR_CA_MISMATCH,
                    CREDENTIAL_CUT_OFF,
                    UNKNOWN_OPERATOR -> new Code(401, "invalid_client");
            case VENDOR_SUSPENDED,
                    VENDOR_READ_ONLY,
                    PROBATION,
                    ROUTE_NOT_GRANTED,
                    NO_ROUTE,
                    INSUFFICIENT_ROLE,
                    CROSS_SITE_REQUEST,
                    UNKNOWN_VENDOR -> new Code(400, "unauthorized_client");
            case RATE_LIMITED, QUOTA_EXCEEDED, TOO_MANY_IN_FLIGHT, TOO_MANY_CONNECTIONS ->
                new Code(429, "temporarily_unavailable");
            case OVERLOADED,
                    SHUTTING_DOWN,
                    CONTROL_UNREACHABLE,
                    AUDIT_UNAVAILABLE,
                    STORE_UNAVAILABLE,
                    UPSTREAM_UNAVAILABLE,
                    UPSTREAM_ERROR,
                    UPSTREAM_TIMEOUT -> new Code(503, "temporarily_unavailable");
            case INTERNAL_ERROR -> new Code(500, "server_error");
            case BAD_REQUEST,
                    REQUEST_TIMEOUT,
                    BODY_TIMEOUT,
                    URI_TOO_LONG,
                    HEADERS_TOO_LARGE,
                    INVALID_PATH,
                    PAYLOAD_TOO_LARGE,
                    METHOD_NOT_ALLOWED,
                    NOT_FOUND,
                    CONFLICT,
                    INVALID_POLICY,
                    TOKEN_REQUIRED,
                    INVALID_TOKEN,
                    INSUFFICIENT_SCOPE -> new Code(type.status().code(), "invalid_request");
        };
    }

    /** The token endpoint's answer for a refusal of {@code type} with {@code detail}. */
    static FullHttpResponse forProblem(ByteBufAllocator alloc, ProblemType type, String detail) {
        Code code = of(type);
        return response(alloc, code.status(), code.error(), detail);
    }

    /** An RFC 6749 error response, not to be cached. */
    static FullHttpResponse response(ByteBufAllocator alloc, int status, String error, String description) {
        StringBuilder json = new StringBuilder("{\"error\":");
        Json.quote(json, error).append(",\"error_description\":");
        Json.quote(json, description).append('}');
        byte[] bytes = json.toString().getBytes(StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(status),
                alloc.buffer(bytes.length).writeBytes(bytes));
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length)
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE)
                .set(HttpHeaderNames.PRAGMA, HttpHeaderValues.NO_CACHE);
        return response;
    }
}
