package dev.vendorgate.gateway.frontend;

import dev.vendorgate.gateway.runtime.GatewaySnapshot;
import dev.vendorgate.gateway.token.TokenIssuer;
import dev.vendorgate.gateway.token.Tokens;
import dev.vendorgate.policy.Vendor;
import dev.vendorgate.policy.VendorStatus;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the gateway answers itself on the vendor listener when tokens are configured: the OAuth
 * 2.0 token endpoint ({@code POST /oauth2/token}), its signing keys
 * ({@code /.well-known/jwks.json}) and its metadata ({@code /.well-known/oauth-authorization-server}).
 */
final class LocalEndpoints {

    static final int MAX_FORM_BYTES = 8 * 1024;

    enum Kind {
        TOKEN,
        JWKS,
        METADATA
    }

    /** A gateway-owned endpoint; {@code route} names it in audit records. */
    record Endpoint(Kind kind, String route, Tokens tokens) {}

    /** What the endpoint answered, and the token id it issued, if any. */
    record Answer(FullHttpResponse response, String jti, String reason, TokenIssuer.Outcome.Issued issued) {
        Answer(FullHttpResponse response, String jti, String reason) {
            this(response, jti, reason, null);
        }
    }

    private LocalEndpoints() {}

    static Endpoint match(String method, String path, GatewaySnapshot snapshot) {
        if (snapshot.tokens().isEmpty()) {
            return null;
        }
        Tokens tokens = snapshot.tokens().get();
        return switch (path) {
            case "/oauth2/token" -> new Endpoint(Kind.TOKEN, "oauth2-token", tokens);
            case "/.well-known/jwks.json" -> new Endpoint(Kind.JWKS, "jwks", tokens);
            case "/.well-known/oauth-authorization-server" -> new Endpoint(Kind.METADATA, "oauth-metadata", tokens);
            default -> null;
        };
    }

    static Answer answer(
            Endpoint endpoint,
            HttpRequest request,
            ByteBuf body,
            Vendor vendor,
            VendorConnection connection,
            VendorStatus status,
            Instant now,
            ByteBufAllocator alloc) {
        String method = request.method().name();
        if (endpoint.kind() != Kind.TOKEN) {
            if (!method.equals("GET") && !method.equals("HEAD")) {
                return new Answer(
                        json(alloc, HttpResponseStatus.METHOD_NOT_ALLOWED, "{\"error\":\"method not allowed\"}"),
                        null,
                        "method-not-allowed");
            }
            String json = endpoint.kind() == Kind.JWKS
                    ? endpoint.tokens().keys().jwksJson()
                    : endpoint.tokens().metadataJson(vendor.scopes());
            FullHttpResponse response = json(alloc, HttpResponseStatus.OK, json);
            response.headers().set(HttpHeaderNames.CACHE_CONTROL, "max-age=300");
            return new Answer(response, null, null);
        }
        if (!method.equals("POST")) {
            return oauthError(alloc, 405, "invalid_request", "use POST");
        }
        String type = request.headers().get(HttpHeaderNames.CONTENT_TYPE, "");
        if (!type.toLowerCase(java.util.Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
            return oauthError(alloc, 400, "invalid_request", "the body must be application/x-www-form-urlencoded");
        }
        Map<String, String> form = new HashMap<>();
        Set<String> seen = new HashSet<>();
        Map<String, List<String>> parameters =
                new QueryStringDecoder(body.toString(StandardCharsets.UTF_8), false).parameters();
        for (Map.Entry<String, List<String>> parameter : parameters.entrySet()) {
            if (parameter.getValue().size() != 1 || !seen.add(parameter.getKey())) {
                return oauthError(
                        alloc,
                        400,
                        "invalid_request",
                        "parameter '" + parameter.getKey() + "' is given more than once");
            }
            form.put(parameter.getKey(), parameter.getValue().get(0));
        }
        if (status == VendorStatus.SUSPENDED) {
            return oauthError(alloc, 400, "unauthorized_client", "vendor '" + vendor.id() + "' is suspended");
        }
        TokenIssuer.Outcome outcome = endpoint.tokens()
                .issuer()
                .issue(form, vendor, connection.peer().clientId(), connection.thumbprint(), now);
        if (outcome instanceof TokenIssuer.Outcome.Refused refused) {
            return oauthError(alloc, refused.status(), refused.error(), refused.description());
        }
        TokenIssuer.Outcome.Issued issued = (TokenIssuer.Outcome.Issued) outcome;
        FullHttpResponse response = json(alloc, HttpResponseStatus.OK, issued.json());
        response.headers()
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE)
                .set(HttpHeaderNames.PRAGMA, HttpHeaderValues.NO_CACHE);
        return new Answer(response, issued.jti(), null, issued);
    }

    /** An RFC 6749 section 5.2 error. */
    private static Answer oauthError(ByteBufAllocator alloc, int status, String error, String description) {
        return new Answer(
                OAuthErrors.response(alloc, status, error, description), null, "oauth-" + error.replace('_', '-'));
    }

    /** Whether {@code uri} is the token endpoint of a gateway with tokens configured. */
    static boolean isTokenEndpoint(String uri, GatewaySnapshot snapshot) {
        return snapshot.tokens().isPresent() && "/oauth2/token".equals(new QueryStringDecoder(uri).path());
    }

    private static FullHttpResponse json(ByteBufAllocator alloc, HttpResponseStatus status, String json) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1, status, alloc.buffer(bytes.length).writeBytes(bytes));
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
        return response;
    }
}
