package dev.vendorgate.gateway.http;

import dev.vendorgate.policy.HttpSettings;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a request head must satisfy before anything else looks at it, on HTTP/1.1 and HTTP/2
 * alike (HTTP/2 requests are checked after conversion, where {@code :authority} has become
 * {@code host}). Each rule closes a way for two HTTP implementations to read one request
 * differently: the gateway deciding on one reading while the upstream acts on another.
 */
public final class RequestHeadRules {

    private RequestHeadRules() {}

    /** Why a request head is refused. */
    public record Violation(ProblemType type, String detail) {}

    /** The refusal for a head the decoder could not read, with a detail that echoes nothing the client sent. */
    public static Violation decodingFailed(Throwable cause) {
        if (cause instanceof StrictHttpServerCodec.HeadTimeoutException) {
            return new Violation(ProblemType.REQUEST_TIMEOUT, "The request head did not arrive in time.");
        }
        if (cause instanceof TooLongHttpLineException) {
            return new Violation(ProblemType.URI_TOO_LONG, "The request line is longer than allowed.");
        }
        if (cause instanceof TooLongHttpHeaderException || cause instanceof TooLongFrameException) {
            return new Violation(ProblemType.HEADERS_TOO_LARGE, "The request headers are larger than allowed.");
        }
        if (cause instanceof StrictHttpServerCodec.FoldedHeaderException
                || cause instanceof StrictHttpServerCodec.TooManyPipelinedException) {
            return new Violation(ProblemType.BAD_REQUEST, capitalized(cause.getMessage()) + ".");
        }
        return new Violation(ProblemType.BAD_REQUEST, "The request could not be parsed.");
    }

    /**
     * Checks {@code request}; with {@link HttpSettings.UnderscoreHeaders#DROP} it also removes
     * headers whose names contain '_'.
     *
     * @return the violation, or null when the request may proceed
     */
    public static Violation check(HttpRequest request, boolean http2, HttpSettings settings) {
        HttpHeaders headers = request.headers();
        // HTTP/1.1 gets this from the codec's request-line limit; the same limit holds for an HTTP/2 :path
        if (http2 && request.method().name().length() + request.uri().length() + 10 > settings.maxRequestLineBytes()) {
            return new Violation(
                    ProblemType.URI_TOO_LONG,
                    "The request target is longer than the " + settings.maxRequestLineBytes()
                            + " bytes allowed for a request line.");
        }
        if (!request.uri().startsWith("/")) {
            // absolute-form, authority-form (CONNECT) and asterisk-form are for proxies and servers, not a
            // gateway in front of its own routes: a client sending them is confused or probing
            return new Violation(ProblemType.BAD_REQUEST, "The request target must be a path starting with '/'.");
        }
        if (headers.size() > settings.maxHeaderCount()) {
            return new Violation(
                    ProblemType.HEADERS_TOO_LARGE,
                    "The request has more than " + settings.maxHeaderCount() + " header fields.");
        }
        Violation host = host(request, http2);
        if (host != null) {
            return host;
        }
        if (!http2) {
            List<String> codings = headers.getAll(HttpHeaderNames.TRANSFER_ENCODING);
            if (!codings.isEmpty()
                    && (codings.size() > 1 || !codings.get(0).trim().equalsIgnoreCase("chunked"))) {
                return new Violation(ProblemType.BAD_REQUEST, "Transfer-Encoding must be exactly 'chunked'.");
            }
        }
        List<String> underscored = null;
        for (Map.Entry<String, String> header : headers) {
            if (header.getKey().indexOf('_') >= 0) {
                if (settings.underscoreHeaders() == HttpSettings.UnderscoreHeaders.REJECT) {
                    return new Violation(ProblemType.BAD_REQUEST, "Header names with '_' are not accepted.");
                }
                if (underscored == null) {
                    underscored = new ArrayList<>(2);
                }
                underscored.add(header.getKey());
            }
        }
        if (underscored != null && settings.underscoreHeaders() == HttpSettings.UnderscoreHeaders.DROP) {
            underscored.forEach(headers::remove);
        }
        return null;
    }

    /**
     * HTTP/1.1: exactly one Host (HTTP/1.0: at most one). HTTP/2: {@code :authority} and
     * {@code host}, when both are sent, must agree. Either way a well-formed authority with no
     * user info.
     */
    private static Violation host(HttpRequest request, boolean http2) {
        List<String> hosts = request.headers().getAll(HttpHeaderNames.HOST);
        if (hosts.isEmpty()) {
            return http2 || request.protocolVersion().equals(HttpVersion.HTTP_1_0)
                    ? null
                    : new Violation(ProblemType.BAD_REQUEST, "An HTTP/1.1 request needs a Host header.");
        }
        String first = hosts.get(0);
        for (String other : hosts) {
            if (!http2 && hosts.size() > 1 || !other.equalsIgnoreCase(first)) {
                return new Violation(
                        ProblemType.BAD_REQUEST,
                        http2 ? ":authority and host disagree." : "More than one Host header.");
            }
        }
        if (!validAuthority(first)) {
            return new Violation(ProblemType.BAD_REQUEST, "The Host is not a valid host[:port].");
        }
        return null;
    }

    /** host[:port], host a name, IPv4 or [IPv6]: no user info, path, spaces or control characters. */
    static boolean validAuthority(String authority) {
        if (authority.isEmpty() || authority.length() > 255) {
            return false;
        }
        String host = authority;
        String port = null;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            if (close < 0) {
                return false;
            }
            for (int i = 1; i < close; i++) {
                char c = authority.charAt(i);
                if (!(Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
                    return false;
                }
            }
            String rest = authority.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    return false;
                }
                port = rest.substring(1);
            }
            host = null;
        } else {
            int colon = authority.lastIndexOf(':');
            if (colon >= 0) {
                host = authority.substring(0, colon);
                port = authority.substring(colon + 1);
            }
        }
        if (host != null) {
            if (host.isEmpty()) {
                return false;
            }
            for (int i = 0; i < host.length(); i++) {
                char c = host.charAt(i);
                boolean ok = c >= 'a' && c <= 'z'
                        || c >= 'A' && c <= 'Z'
                        || c >= '0' && c <= '9'
                        || c == '.'
                        || c == '-'
                        || c == '_';
                if (!ok) {
                    return false;
                }
            }
        }
        return port == null || validPort(port);
    }

    /** One to five digits, at most 65535 (checked by hand: this runs for every request). */
    private static boolean validPort(String port) {
        if (port.isEmpty() || port.length() > 5) {
            return false;
        }
        int value = 0;
        for (int i = 0; i < port.length(); i++) {
            char c = port.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
            value = value * 10 + (c - '0');
        }
        return value <= 65535;
    }

    private static String capitalized(String text) {
        return text.isEmpty() ? text : text.substring(0, 1).toUpperCase(Locale.ROOT) + text.substring(1);
    }
}
