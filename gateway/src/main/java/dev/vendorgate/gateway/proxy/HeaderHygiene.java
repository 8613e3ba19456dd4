package dev.vendorgate.gateway.proxy;

import dev.vendorgate.gateway.http.TrailerRules;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.util.AsciiString;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What crosses the gateway in headers, and trailers alike. Hop-by-hop headers stop here (RFC
 * 9110 section 7.6.1). Toward upstreams the contract is a deny-list: every field the gateway
 * sets itself, and every field that upstream software reads as who called, from where, over
 * which certificate, or with which method or target, is removed from vendor requests, since
 * only the gateway may say those things; the gateway then adds the verified identity. A
 * deny-list rather than an allow-list because upstreams are the lab's own varied services, whose
 * APIs define their own end-to-end headers (docs/security.md says more). Names are matched lower
 * case with {@code '_'} read as {@code '-'}, as CGI-style servers read them.
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
    /** The verified client certificate (RFC 9440), added by the gateway on routes that ask for it. */
    public static final AsciiString CLIENT_CERT = AsciiString.cached("client-cert");

    private static final String HTTP2_PREFIX = "x-http2-";

    private static final Set<String> HOP_BY_HOP = Set.of(
            "connection",
            "keep-alive",
            "proxy-connection",
            "te",
            "trailer",
            "transfer-encoding",
            "upgrade",
            "proxy-authorization",
            "proxy-authenticate");

    /** Request fields that stop at the gateway: see {@link #dropsFromRequest(CharSequence)}. */
    private static final Set<String> REQUEST_DROPPED = Set.of(
            // set or handled by the gateway itself
            "host",
            "content-length",
            "expect",
            "x-request-id",
            // vendor credentials stop at the gateway; upstreams get the verified identity instead
            "authorization",
            // the client's address, claimed
            "forwarded",
            "x-real-ip",
            "x-client-ip",
            "true-client-ip",
            "cf-connecting-ip",
            "fastly-client-ip",
            "x-cluster-client-ip",
            "x-originating-ip",
            "x-remote-ip",
            "x-remote-addr",
            "client-ip",
            "via",
            // the client's certificate, claimed (RFC 9440, IIS ARR); the gateway sets Client-Cert itself
            "client-cert",
            "client-cert-chain",
            "x-arr-clientcert",
            "x-arr-ssl",
            // an authenticated user, claimed (the headers auth proxies set for the apps behind them)
            "x-remote-user",
            "remote-user",
            "x-authenticated-user",
            "x-user",
            "x-auth-user",
            "x-webauth-user",
            // another method or target than the one the gateway authorised
            "x-http-method-override",
            "x-http-method",
            "x-method-override",
            "x-original-method",
            "x-original-url",
            "x-original-uri",
            "x-rewrite-url",
            "x-host",
            "x-original-host",
            // only the TLS terminator knows whether the request came in early data (RFC 8470)
            "early-data",
            // httpoxy (CVE-2016-5385): CGI servers turn it into HTTP_PROXY
            "proxy");

    /** Families of request fields that stop at the gateway. */
    private static final List<String> REQUEST_DROPPED_PREFIXES = List.of(
            "x-gateway-",
            "x-forwarded-",
            HTTP2_PREFIX,
            "proxy-",
            // client certificates as TLS terminators pass them on (nginx, HAProxy, Apache, Envoy, AWS)
            "x-ssl-",
            "x-client-cert",
            "x-client-verify",
            "x-client-dn",
            "ssl-client-",
            "x-amzn-mtls-",
            // proxies' and auth proxies' own signals (Envoy trusts x-envoy-* from inside)
            "x-envoy-",
            "x-auth-request-",
            "x-amzn-oidc-",
            "x-ms-client-principal",
            "x-goog-authenticated-user-");

    private HeaderHygiene() {}

    /** Netty's checks of a field's name (a token) and value (no CR, LF, NUL or other controls). */
    private static final DefaultHttpHeadersFactory CHECKED = DefaultHttpHeadersFactory.headersFactory();

    /**
     * Headers of a head the gateway builds for the other side: every field copied into it from a
     * vendor or an upstream is checked as it is copied ({@link #copyRequestHeaders},
     * {@link #copyResponseHeaders}, {@link #checked}), and what the gateway sets itself (its request id,
     * the vendor's identity, a signed assertion, the client address) is not checked again: those values
     * are the gateway's own, and checking the longest of them cost about 1% of a request.
     */
    public static final HttpHeadersFactory BUILT =
            DefaultHttpHeadersFactory.headersFactory().withValidation(false);

    /** {@code value}, from a peer, once it has passed the check a header value gets: else IllegalArgumentException. */
    public static CharSequence checked(CharSequence value) {
        CHECKED.getValueValidator().validate(value);
        return value;
    }

    private static void addChecked(HttpHeaders out, AsciiString name, CharSequence value) {
        CHECKED.getNameValidator().validateName(name);
        out.add(name, checked(value));
    }

    /**
     * Copies the end-to-end request headers (or trailers) a vendor sent into {@code out}, leaving
     * out hop-by-hop headers, headers named in {@code Connection}, and every header the upstream
     * contract reserves to the gateway. Trailers are checked by {@code TrailerRules} first.
     */
    public static void copyRequestHeaders(HttpHeaders in, HttpHeaders out) {
        Set<String> nominated = connectionNominated(in);
        for (Map.Entry<CharSequence, CharSequence> header : entries(in)) {
            AsciiString name = AsciiString.of(header.getKey()).toLowerCase();
            if (dropsFromRequest(name) || (nominated != null && nominated.contains(name.toString()))) {
                continue;
            }
            addChecked(out, name, header.getValue());
        }
    }

    /**
     * Whether a vendor's request field stops at the gateway: hop-by-hop; set by the gateway; or
     * one that claims an identity, a client address, a client certificate, an authenticated
     * user, a forwarding path, or another method or target than the one authorised.
     */
    public static boolean dropsFromRequest(CharSequence name) {
        String key = normalized(name);
        if (HOP_BY_HOP.contains(key) || REQUEST_DROPPED.contains(key)) {
            return true;
        }
        for (String prefix : REQUEST_DROPPED_PREFIXES) {
            if (key.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /** Copies the end-to-end response headers an upstream sent, leaving out hop-by-hop ones. */
    public static void copyResponseHeaders(HttpHeaders in, HttpHeaders out) {
        Set<String> nominated = connectionNominated(in);
        for (Map.Entry<CharSequence, CharSequence> header : entries(in)) {
            AsciiString name = AsciiString.of(header.getKey()).toLowerCase();
            String key = normalized(name);
            if (HOP_BY_HOP.contains(key)
                    || key.startsWith(HTTP2_PREFIX)
                    || (nominated != null && nominated.contains(name.toString()))) {
                continue;
            }
            addChecked(out, name, header.getValue());
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
            String key = normalized(name);
            if (HOP_BY_HOP.contains(key)
                    || key.equals(REQUEST_ID.toString())
                    || TrailerRules.forbiddenInResponse(key)) {
                continue;
            }
            out.add(name, header.getValue());
        }
    }

    /** Lower case, {@code '_'} read as {@code '-'}. */
    private static String normalized(CharSequence name) {
        return name.toString().toLowerCase(Locale.ROOT).replace('_', '-');
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
                out.append('%')
                        .append(Character.toUpperCase(Character.forDigit(u >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(u & 15, 16)));
            } else {
                out.append((char) u);
            }
        }
        return out.toString();
    }
}
