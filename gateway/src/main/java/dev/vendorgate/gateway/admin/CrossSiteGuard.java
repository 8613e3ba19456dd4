package dev.vendorgate.gateway.admin;

import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.util.Locale;

/**
 * Keeps a browser that holds an operator's certificate from being used by another site. A browser
 * sends the certificate with any request to the admin origin, a cross-site form post included; so
 * a change needs what a form cannot send: the {@value #REQUEST_HEADER} header or a JSON content
 * type (either forces a CORS preflight, and no CORS is ever granted); and a request that names an
 * Origin must name the admin listener's own.
 */
final class CrossSiteGuard {

    /** The header the console and {@code gateway ctl} send with every change. */
    static final String REQUEST_HEADER = "X-Vendorgate-Request";

    private CrossSiteGuard() {}

    /** Why the request is refused as cross-site, or null if it may go on. */
    static String refusal(FullHttpRequest request, boolean changes) {
        String origin = request.headers().get(HttpHeaderNames.ORIGIN);
        String host = request.headers().get(HttpHeaderNames.HOST);
        if (origin != null && (host == null || !origin.equalsIgnoreCase("https://" + host))) {
            return "Requests from another origin (" + cut(origin) + ") are refused: the admin API answers only its "
                    + "own console.";
        }
        if (changes && !request.headers().contains(REQUEST_HEADER) && !json(request)) {
            return "A change needs the header '" + REQUEST_HEADER + ": 1' or 'Content-Type: application/json' "
                    + "(so that no other site can make it through a browser).";
        }
        return null;
    }

    private static boolean json(FullHttpRequest request) {
        String type = request.headers().get(HttpHeaderNames.CONTENT_TYPE);
        if (type == null) {
            return false;
        }
        int semicolon = type.indexOf(';');
        return (semicolon < 0 ? type : type.substring(0, semicolon))
                .strip()
                .toLowerCase(Locale.ROOT)
                .equals("application/json");
    }

    private static String cut(String text) {
        return text.length() > 100 ? text.substring(0, 100) + "..." : text;
    }
}
