package dev.vendorgate.gateway.http;

import dev.vendorgate.policy.HttpSettings;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What trailer fields may say. A trailer arrives after the gateway has decided on the head and
 * streamed the body, so a field that would have changed that decision (who is calling, where
 * the request goes, how long the body is, how to read it) must not be honoured there: RFC 9110
 * section 6.5.1 forbids such fields in trailers, and a recipient may act on them anyway. The
 * gateway refuses a request whose trailers carry one, and drops them from a response's.
 */
public final class TrailerRules {

    /**
     * Forbidden in any trailer: message framing, routing, how to process the content, and
     * connection-specific fields (which only have a meaning in a head, for one hop).
     */
    private static final Set<String> FORBIDDEN = Set.of(
            // framing
            "content-length",
            "transfer-encoding",
            "trailer",
            // routing
            "host",
            // how to process the content
            "content-type",
            "content-encoding",
            "content-range",
            "content-location",
            "content-language",
            // connection-specific
            "connection",
            "keep-alive",
            "proxy-connection",
            "upgrade",
            "te");

    /** Forbidden in request trailers: request modifiers (controls, conditionals) and credentials. */
    private static final Set<String> REQUEST_ONLY = Set.of(
            // controls
            "expect",
            "max-forwards",
            "cache-control",
            "pragma",
            "range",
            // conditionals
            "if-match",
            "if-none-match",
            "if-modified-since",
            "if-unmodified-since",
            "if-range",
            // authentication, a client certificate included (RFC 9440)
            "authorization",
            "proxy-authorization",
            "cookie",
            "client-cert",
            "client-cert-chain");

    /** Forbidden in response trailers: authentication and response control data. */
    private static final Set<String> RESPONSE_ONLY = Set.of(
            // authentication
            "set-cookie",
            "www-authenticate",
            "proxy-authenticate",
            "authentication-info",
            "proxy-authentication-info",
            // response control data, caching
            "location",
            "retry-after",
            "allow",
            "accept-ranges",
            "vary",
            "cache-control",
            "expires",
            "age",
            "date");

    /** HTTP/2 pseudo-headers, as the HTTP/1.1 conversion renames them ({@code :path} to {@code x-http2-path}). */
    private static final String HTTP2_PREFIX = "x-http2-";

    private TrailerRules() {}

    /**
     * Checks a request's trailers, with the head's limits: the field count, {@code '_'} in names
     * ({@link HttpSettings.UnderscoreHeaders#DROP} removes them here too), and the forbidden fields.
     *
     * @return the violation, or null when the trailers may be forwarded (after header hygiene)
     */
    public static RequestHeadRules.Violation checkRequest(HttpHeaders trailers, HttpSettings settings) {
        if (trailers.isEmpty()) {
            return null;
        }
        if (trailers.size() > settings.maxHeaderCount()) {
            return new RequestHeadRules.Violation(
                    ProblemType.HEADERS_TOO_LARGE,
                    "The request trailers have more than " + settings.maxHeaderCount() + " fields.");
        }
        List<String> underscored = null;
        for (Map.Entry<String, String> field : trailers) {
            String name = field.getKey();
            if (name.indexOf('_') >= 0) {
                if (settings.underscoreHeaders() == HttpSettings.UnderscoreHeaders.REJECT) {
                    return new RequestHeadRules.Violation(
                            ProblemType.BAD_REQUEST, "Trailer field names with '_' are not accepted.");
                }
                if (settings.underscoreHeaders() == HttpSettings.UnderscoreHeaders.DROP) {
                    if (underscored == null) {
                        underscored = new ArrayList<>(2);
                    }
                    underscored.add(name);
                    continue;
                }
            }
            String forbidden = forbiddenInRequest(name);
            if (forbidden != null) {
                // the name from our own list, never the client's bytes
                return new RequestHeadRules.Violation(
                        ProblemType.BAD_REQUEST,
                        "The field '" + forbidden + "' is not allowed in trailers (RFC 9110 section 6.5.1).");
            }
        }
        if (underscored != null) {
            underscored.forEach(trailers::remove);
        }
        return null;
    }

    /** The canonical name of a field a request trailer must not carry, or null when it may. */
    static String forbiddenInRequest(CharSequence name) {
        String key = normalized(name);
        if (key.startsWith(":") || key.startsWith(HTTP2_PREFIX)) {
            return key.startsWith(":") ? "pseudo-header" : HTTP2_PREFIX + "*";
        }
        return FORBIDDEN.contains(key) || REQUEST_ONLY.contains(key) ? key : null;
    }

    /** Whether a response trailer field named {@code name} is one to drop before the vendor sees it. */
    public static boolean forbiddenInResponse(CharSequence name) {
        String key = normalized(name);
        return key.startsWith(":")
                || key.startsWith(HTTP2_PREFIX)
                || FORBIDDEN.contains(key)
                || RESPONSE_ONLY.contains(key);
    }

    /** Lower case, {@code '_'} read as {@code '-'}, as some servers do. */
    private static String normalized(CharSequence name) {
        return name.toString().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
