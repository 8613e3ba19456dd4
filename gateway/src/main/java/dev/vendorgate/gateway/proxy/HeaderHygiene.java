package dev.vendorgate.gateway.proxy;

import dev.vendorgate.gateway.http.TrailerRules;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What crosses the gateway in headers, and trailers alike. Hop-by-hop headers stop here (RFC 9110 section 7.6.1);
 * headers that claim an identity or a client address are removed from vendor requests, since
 * only the gateway may say who called; the gateway then adds the verified identity.
 */
public final class HeaderHygiene {

    /** The verified vendor id, added by the gateway. */
    public static final AsciiString VENDOR = AsciiString.cached("x-gateway-vendor");
    /** The verified client id (SPIFFE ID or subject), added by the gateway. */
    public static final AsciiString CLIENT = AsciiString.cached("x-gateway-client");
    /** SHA-256 of the client certificate, added by the gateway. */
    public static final AsciiString CERT_SHA256 = AsciiString.cached("x-gateway-cert-sha256");
    /** The id of the route that matched, added by the gateway. */
    public static final AsciiString ROUTE = AsciiString.cached("x-gateway-route");
    /** The request id, added by the gateway (a client's own is replaced). */
    public static final AsciiString REQUEST_ID = AsciiString.cached("x-request-id");

    private static final String GATEWAY_PREFIX = "x-gateway-";
    private static final String FORWARDED_PREFIX = "x-forwarded-";
    private static final String HTTP2_PREFIX = "x-http2-";

    private static final Set<AsciiString> HOP_BY_HOP = Set.of(
            HttpHeaderNames.CONNECTION, HttpHeaderNames.KEEP_ALIVE, AsciiString.cached("proxy-connection"),
            HttpHeaderNames.TE, HttpHeaderNames.TRAILER, HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderNames.UPGRADE,
            HttpHeaderNames.PROXY_AUTHORIZATION, HttpHeaderNames.PROXY_AUTHENTICATE);

    /** Request headers the gateway sets itself or handles itself. */
    private static final Set<AsciiString> REQUEST_DROPPED = Set.of(
            HttpHeaderNames.HOST, HttpHeaderNames.CONTENT_LENGTH, HttpHeaderNames.EXPECT,
            AsciiString.cached("forwarded"), AsciiString.cached("x-real-ip"), AsciiString.cached("x-client-ip"),
            AsciiString.cached("true-client-ip"), REQUEST_ID,
            // vendor credentials stop at the gateway; upstreams get the verified identity instead
            HttpHeaderNames.AUTHORIZATION);

    private HeaderHygiene() {}

    /**
     * Copies the end-to-end request headers (or trailers) a vendor sent into {@code out}, leaving
     * out hop-by-hop headers, headers named in {@code Connection}, and every header that claims
     * an identity, a client address or a forwarding path. Trailers are checked by
     * {@code TrailerRules} first.
     */
    public static void copyRequestHeaders(HttpHeaders in, HttpHeaders out) {
        Set<String> nominated = connectionNominated(in);
        for (Map.Entry<CharSequence, CharSequence> header : entries(in)) {
            AsciiString name = AsciiString.of(header.getKey()).toLowerCase();
            if (HOP_BY_HOP.contains(name) || REQUEST_DROPPED.contains(name) || name.startsWith(GATEWAY_PREFIX)
                    || name.startsWith(FORWARDED_PREFIX) || name.startsWith(HTTP2_PREFIX)
                    || (nominated != null && nominated.contains(name.toString()))) {
                continue;
            }
            out.add(name, header.getValue());
        }
    }

    /** Copies the end-to-end response headers an upstream sent, leaving out hop-by-hop ones. */
    public static void copyResponseHeaders(HttpHeaders in, HttpHeaders out) {
        Set<String> nominated = connectionNominated(in);
        for (Map.Entry<CharSequence, CharSequence> header : entries(in)) {
            AsciiString name = AsciiString.of(header.getKey()).toLowerCase();
            if (HOP_BY_HOP.contains(name) || name.startsWith(HTTP2_PREFIX)
                    || (nominated != null && nominated.contains(name.toString()))) {
                continue;
            }
            out.add(name, header.getValue());
        }
    }

    /**
     * Copies the response trailers an upstream sent, leaving out hop-by-hop fields, the request
     * id (the gateway's, already in the head) and fields forbidden in trailers. The response is
     * already on its way, so they are dropped rather than refused.
     */
    public static void copyResponseTrailers(HttpHeaders in, HttpHeaders out) {
        for (Map.Entry<CharSequence, CharSequence> header : entries(in)) {
            AsciiString name = AsciiString.of(header.getKey()).toLowerCase();
            if (HOP_BY_HOP.contains(name) || name.contentEquals(REQUEST_ID) || TrailerRules.forbiddenInResponse(name)) {
                continue;
            }
            out.add(name, header.getValue());
        }
    }

    private static Iterable<Map.Entry<CharSequence, CharSequence>> entries(HttpHeaders headers) {
        return headers::iteratorCharSequence;
    }

    /** Header names listed in {@code Connection}, lower case, or null when there are none. */
    private static Set<String> connectionNominated(HttpHeaders headers) {
        List<String> values = headers.getAll(HttpHeaderNames.CONNECTION);
        if (values.isEmpty()) {
            return null;
        }
        Set<String> names = new HashSet<>();
        for (String value : values) {
            for (String token : value.split(",")) {
                String trimmed = token.trim().toLowerCase(Locale.ROOT);
                if (!trimmed.isEmpty()) {
                    names.add(trimmed);
                }
            }
        }
        return names;
    }

    /**
     * Makes an identity value safe for a header: printable ASCII stays, everything else (and
     * {@code %}) is percent-encoded as UTF-8, so a certificate subject can never inject a header.
     */
    public static String headerSafe(String value) {
        byte[] bytes = null;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c >= 0x7F || c == '%') {
                bytes = value.getBytes(java.nio.charset.StandardCharsets.UTF_8);
                break;
            }
        }
        if (bytes == null) {
            return value;
        }
        StringBuilder out = new StringBuilder(bytes.length + 16);
        for (byte b : bytes) {
            int u = b & 0xFF;
            if (u < 0x20 || u >= 0x7F || u == '%') {
                out.append('%').append(Character.toUpperCase(Character.forDigit(u >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(u & 15, 16)));
            } else {
                out.append((char) u);
            }
        }
        return out.toString();
    }
}
