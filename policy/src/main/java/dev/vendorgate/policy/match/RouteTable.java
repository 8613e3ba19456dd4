package dev.vendorgate.policy.match;

import dev.vendorgate.policy.Route;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Finds the route for a canonical path: the longest matching prefix on whole segments, then the
 * route at that prefix that allows the method. A shorter prefix is never used as a fallback,
 * so adding a narrow read-only route cannot widen what a broader route lets through.
 */
public final class RouteTable {

    private final Map<String, List<Route>> byPrefix = new HashMap<>();

    public RouteTable(Collection<Route> routes) {
        for (Route route : routes) {
            byPrefix.computeIfAbsent(route.pathPrefix(), p -> new ArrayList<>()).add(route);
        }
    }

    /**
     * Matches a canonical path (already percent-decoded once, dot segments resolved, no query).
     */
    public RouteMatch match(String method, String canonicalPath) {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(canonicalPath, "canonicalPath");
        String candidate = canonicalPath.length() > 1 && canonicalPath.endsWith("/")
                ? canonicalPath.substring(0, canonicalPath.length() - 1)
                : canonicalPath;
        while (true) {
            List<Route> routes = byPrefix.get(candidate);
            if (routes != null) {
                for (Route route : routes) {
                    if (route.methods().contains(method)) {
                        return new RouteMatch.Matched(route);
                    }
                }
                Set<String> allowed = new TreeSet<>();
                routes.forEach(r -> allowed.addAll(r.methods()));
                return new RouteMatch.MethodNotAllowed(allowed);
            }
            if (candidate.equals("/") || candidate.isEmpty()) {
                return RouteMatch.NoRoute.INSTANCE;
            }
            int slash = candidate.lastIndexOf('/');
            candidate = slash <= 0 ? "/" : candidate.substring(0, slash);
        }
    }

    /** The outcome of matching a request against the routes. */
    public sealed interface RouteMatch {
        record Matched(Route route) implements RouteMatch {}

        record MethodNotAllowed(Set<String> allowed) implements RouteMatch {}

        enum NoRoute implements RouteMatch {
            INSTANCE
        }
    }
}
