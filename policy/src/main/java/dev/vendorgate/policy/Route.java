package dev.vendorgate.policy;

import java.util.List;
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
 * @param scopes token scopes a request on this route must carry
 * @param maxBodyBytes largest request body accepted, or 0 for no limit
 */
public record Route(String id, String pathPrefix, Set<String> methods, String upstream, List<String> scopes,
                    long maxBodyBytes) {

    public Route {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(pathPrefix, "pathPrefix");
        methods = Set.copyOf(methods);
        Objects.requireNonNull(upstream, "upstream");
        scopes = List.copyOf(scopes);
    }
}
