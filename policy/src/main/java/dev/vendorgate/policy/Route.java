package dev.vendorgate.policy;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A part of the lab's API that vendors may be granted: a path prefix and the methods allowed
 * on it, forwarded to one upstream.
 *
 * @param id the name vendors' grants refer to
 * @param pathPrefix canonical path prefix, matched on whole segments ({@code /datasets}
 *     matches {@code /datasets} and {@code /datasets/x}, never {@code /datasets-private})
 * @param methods upper-case HTTP methods allowed on this route
 * @param upstream id of the upstream requests are forwarded to
 * @param scopes token scopes a request on this route must carry, whatever its method
 * @param methodScopes further scopes required for particular methods (upper case)
 * @param maxBodyBytes largest request body accepted, or 0 for no limit
 * @param cost how many requests of the vendor's rate limit one request on this route uses
 * @param forwardClientCert whether the upstream receives the verified client certificate in a
 *     {@code Client-Cert} header (RFC 9440), for upstreams that make their own decisions on it
 */
public record Route(
        String id,
        String pathPrefix,
        Set<String> methods,
        String upstream,
        List<String> scopes,
        Map<String, List<String>> methodScopes,
        long maxBodyBytes,
        int cost,
        boolean forwardClientCert) {

    public Route {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(pathPrefix, "pathPrefix");
        methods = Set.copyOf(methods);
        Objects.requireNonNull(upstream, "upstream");
        scopes = List.copyOf(scopes);
        methodScopes = Map.copyOf(methodScopes);
    }

    /** Convenience for routes whose scopes do not depend on the method. */
    public Route(
            String id,
            String pathPrefix,
            Set<String> methods,
            String upstream,
            List<String> scopes,
            long maxBodyBytes) {
        this(id, pathPrefix, methods, upstream, scopes, Map.of(), maxBodyBytes, 1, false);
    }

    /** Every scope a request with {@code method} on this route needs. */
    public List<String> scopesFor(String method) {
        List<String> extra = methodScopes.get(method);
        if (extra == null || extra.isEmpty()) {
            return scopes;
        }
        List<String> all = new java.util.ArrayList<>(scopes);
        extra.stream().filter(s -> !all.contains(s)).forEach(all::add);
        return List.copyOf(all);
    }

    /** Whether any request on this route needs a token. */
    public boolean requiresToken() {
        return !scopes.isEmpty() || methodScopes.values().stream().anyMatch(l -> !l.isEmpty());
    }

    /** Every scope named on the route, for checking grants. */
    public java.util.Set<String> allScopes() {
        java.util.Set<String> all = new java.util.LinkedHashSet<>(scopes);
        methodScopes.values().forEach(all::addAll);
        return all;
    }
}
