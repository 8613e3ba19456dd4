package dev.vendorgate.gateway.proxy;

import dev.vendorgate.gateway.limits.VendorLimiter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Instant;

/**
 * Builds the heads and trailers that cross the gateway: the request the upstream receives
 * (canonical target, clean headers and trailers, verified identity) and the response the vendor
 * receives (clean headers and trailers, framing that suits the vendor's protocol and version).
 */
final class UpstreamRequests {

    private static final String FORWARDED_FOR = "x-forwarded-for";
    private static final String FORWARDED_PROTO = "x-forwarded-proto";

    private UpstreamRequests() {}

    static HttpRequest head(ExchangeRequest request) {
        HttpRequest in = request.head();
        HttpRequest out = new DefaultHttpRequest(
                HttpVersion.HTTP_1_1, in.method(), request.target().forUpstream(), HeaderHygiene.BUILT);
        HttpHeaders headers = out.headers();
        HeaderHygiene.copyRequestHeaders(in.headers(), headers);
        headers.set(HttpHeaderNames.HOST, request.upstream().upstream().authority());
        if (HttpUtil.isTransferEncodingChunked(in)) {
            headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        } else {
            String length = in.headers().get(HttpHeaderNames.CONTENT_LENGTH);
            if (length != null) {
                headers.set(HttpHeaderNames.CONTENT_LENGTH, HeaderHygiene.checked(length));
            }
        }
        String address = address(request.remote());
        headers.set(HeaderHygiene.REQUEST_ID, request.requestId());
        headers.set(HeaderHygiene.VENDOR, request.vendor().id());
        headers.set(HeaderHygiene.CLIENT, HeaderHygiene.headerSafe(request.clientId()));
        headers.set(HeaderHygiene.CERT_SHA256, request.certSha256());
        headers.set(HeaderHygiene.ROUTE, request.route().id());
        if (request.clientCert() != null) {
            headers.set(HeaderHygiene.CLIENT_CERT, request.clientCert());
        }
        if (request.assertion() != null) {
            headers.set(request.assertion().header(), request.assertion().value());
        }
        if (address != null) {
            headers.set(FORWARDED_FOR, address);
            headers.set("forwarded", "for=" + forwardedNode(address) + ";proto=https");
        }
        headers.set(FORWARDED_PROTO, "https");
        return out;
    }

    /**
     * The last piece of the vendor's body as the upstream receives it: its trailers after the
     * same hygiene as the head ({@code TrailerRules} has already refused forbidden ones). Takes
     * over {@code last}'s buffer.
     */
    static LastHttpContent requestLast(LastHttpContent last) {
        if (last.trailingHeaders().isEmpty()) {
            return last;
        }
        LastHttpContent out = new DefaultLastHttpContent(last.content());
        HeaderHygiene.copyRequestHeaders(last.trailingHeaders(), out.trailingHeaders());
        return out;
    }

    /** The last piece of the upstream's body as the vendor receives it, trailers cleaned. Takes over its buffer. */
    static LastHttpContent responseLast(LastHttpContent last) {
        if (last.trailingHeaders().isEmpty()) {
            return last;
        }
        LastHttpContent out = new DefaultLastHttpContent(last.content());
        HeaderHygiene.copyResponseTrailers(last.trailingHeaders(), out.trailingHeaders());
        return out;
    }

    /** The vendor's response head and its end as one message (the end's body and trailers move into it). */
    static FullHttpResponse whole(HttpResponse head, LastHttpContent end) {
        return new DefaultFullHttpResponse(
                head.protocolVersion(), head.status(), end.content(), head.headers(), end.trailingHeaders());
    }

    private static String address(SocketAddress remote) {
        if (remote instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return inet.getAddress().getHostAddress();
        }
        return null;
    }

    /** RFC 7239 node: IPv6 addresses are quoted and bracketed. */
    private static String forwardedNode(String address) {
        return address.indexOf(':') >= 0 ? "\"[" + address + "]\"" : address;
    }

    /** The response head for the vendor, from the upstream's; its rate-limit fields as of {@code nanos} and {@code now}. */
    static HttpResponse responseFor(
            ExchangeRequest request, HttpResponse response, boolean clientKeepAlive, long nanos, Instant now) {
        HttpResponse out = new DefaultHttpResponse(HttpVersion.HTTP_1_1, response.status(), HeaderHygiene.BUILT);
        HeaderHygiene.copyResponseHeaders(response.headers(), out.headers());
        out.headers().set(HeaderHygiene.REQUEST_ID, request.requestId());
        VendorLimiter limiter = request.limiter();
        limiter.state(nanos, now).forEach((name, value) -> out.headers().set(name, value));
        if (request.http2()) {
            return out; // HTTP/2 frames the body itself
        }
        int status = response.status().code();
        boolean bodyless = request.head().method().equals(HttpMethod.HEAD) || status == 204 || status == 304;
        boolean sized = out.headers().contains(HttpHeaderNames.CONTENT_LENGTH);
        boolean http10 = request.head().protocolVersion().equals(HttpVersion.HTTP_1_0);
        if (!sized && !bodyless) {
            if (http10) {
                out.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE); // the close ends the body
            } else {
                out.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
            }
        }
        if (!clientKeepAlive) {
            out.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (http10 && (sized || bodyless)) {
            out.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        return out;
    }
}
