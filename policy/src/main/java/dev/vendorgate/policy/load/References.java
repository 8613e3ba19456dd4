package dev.vendorgate.policy.load;

import dev.vendorgate.policy.IdentityRule;
import dev.vendorgate.policy.Route;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The checks that need more than one section: references to upstreams and routes, duplicate
 * ids, routes that would shadow each other, and identities claimed by two vendors (which would
 * make a certificate's owner depend on rule order).
 */
final class References {

    private record At(YamlNode node, String path) {}

    private record Ref(String id, At at) {}

    private record Shape(Route route, At at) {}

    private record Claim(String owner, IdentityRule rule, At at) {}

    private record Grant(String vendor, String route, Set<String> vendorScopes, At at) {}

    private final Problems problems;
    private final List<Ref> upstreamRefs = new ArrayList<>();
    private final Map<String, At> routes = new HashMap<>();
    private final Map<String, At> vendors = new HashMap<>();
    private final List<Shape> shapes = new ArrayList<>();
    private final List<Grant> grants = new ArrayList<>();
    private final List<Claim> vendorClaims = new ArrayList<>();
    private final List<Claim> operatorClaims = new ArrayList<>();
    private Ref tokensNeededAt;

    References(Problems problems) {
        this.problems = problems;
    }

    void upstream(String id, YamlNode node, String path) {
        upstreamRefs.add(new Ref(id, new At(node, path)));
    }

    void routeDefined(String id, YamlNode node, String path) {
        defined("route", routes, id, new At(node, path));
    }

    void routeShape(Route route, YamlNode node, String path) {
        shapes.add(new Shape(route, new At(node, path)));
    }

    void vendorDefined(String id, YamlNode node, String path) {
        defined("vendor", vendors, id, new At(node, path));
    }

    /** Remembers that {@code route} needs tokens, to check a tokens section exists. */
    void tokensNeeded(String what, YamlNode node, String path) {
        if (tokensNeededAt == null) {
            tokensNeededAt = new Ref(what, new At(node, path));
        }
    }

    /** Reports a route needing tokens when the policy has no tokens section. */
    void checkTokens(boolean tokensConfigured) {
        if (!tokensConfigured && tokensNeededAt != null) {
            problems.add(
                    tokensNeededAt.at().node(),
                    tokensNeededAt.at().path(),
                    tokensNeededAt.id()
                            + " requires token scopes, so the policy needs a tokens section (issuer, audience)");
        }
    }

    void grant(String vendor, String route, Set<String> vendorScopes, YamlNode node, String path) {
        grants.add(new Grant(vendor, route, vendorScopes, new At(node, path)));
    }

    void vendorIdentity(String vendor, IdentityRule rule, YamlNode node, String path) {
        vendorClaims.add(new Claim(vendor, rule, new At(node, path)));
    }

    void operatorIdentity(String operator, IdentityRule rule, YamlNode node, String path) {
        operatorClaims.add(new Claim(operator, rule, new At(node, path)));
    }

    private void defined(String what, Map<String, At> seen, String id, At at) {
        At earlier = seen.putIfAbsent(id, at);
        if (earlier != null) {
            problems.add(at.node(), at.path(), "duplicate " + what + " id '" + id + "' (also " + earlier.path() + ")");
        }
    }

    /** Runs every cross-section check once all sections have been read. */
    void check(Collection<String> upstreamIds, Collection<Route> allRoutes) {
        for (Ref ref : upstreamRefs) {
            if (!upstreamIds.contains(ref.id())) {
                problems.add(
                        ref.at().node(), ref.at().path(), "unknown upstream '" + ref.id() + "'" + known(upstreamIds));
            }
        }
        Map<String, Route> routesById = new HashMap<>();
        allRoutes.forEach(r -> routesById.putIfAbsent(r.id(), r));
        for (Grant grant : grants) {
            Route route = routesById.get(grant.route());
            if (route == null) {
                if (!routes.containsKey(grant.route())) {
                    problems.add(
                            grant.at().node(),
                            grant.at().path(),
                            "unknown route '" + grant.route() + "'" + known(routes.keySet()));
                }
                continue;
            }
            for (String scope : route.allScopes()) {
                if (!grant.vendorScopes().contains(scope)) {
                    problems.add(
                            grant.at().node(),
                            grant.at().path(),
                            "route '" + route.id() + "' requires scope '" + scope
                                    + "', which is not in the scopes of vendor '" + grant.vendor() + "'");
                }
            }
        }
        checkShapes();
        checkClaims(vendorClaims, "vendor", true);
        // each operator entry is its own owner: two entries with one name (or none) and different
        // roles must not both claim a certificate
        checkClaims(operatorClaims, "operator", false);
    }

    private void checkShapes() {
        for (int i = 0; i < shapes.size(); i++) {
            for (int j = 0; j < i; j++) {
                Route a = shapes.get(i).route();
                Route b = shapes.get(j).route();
                if (a.pathPrefix().equals(b.pathPrefix())) {
                    List<String> common = new ArrayList<>(a.methods());
                    common.retainAll(b.methods());
                    if (!common.isEmpty()) {
                        common.sort(null);
                        problems.add(
                                shapes.get(i).at().node(),
                                shapes.get(i).at().path(),
                                "route '" + a.id()
                                        + "' has the same pathPrefix '" + a.pathPrefix() + "' and methods " + common
                                        + " as route '" + b.id() + "'; a request could not tell them apart");
                    }
                }
            }
        }
    }

    private void checkClaims(List<Claim> claims, String what, boolean sameOwnerMayOverlap) {
        for (int i = 0; i < claims.size(); i++) {
            for (int j = 0; j < i; j++) {
                Claim a = claims.get(i);
                Claim b = claims.get(j);
                if ((!sameOwnerMayOverlap || !a.owner().equals(b.owner()))
                        && a.rule().overlaps(b.rule())) {
                    problems.add(
                            a.at().node(),
                            a.at().path(),
                            "identity overlaps one of " + what + " '" + b.owner() + "' (" + b.at().path()
                                    + "); a certificate could match both");
                }
            }
        }
    }

    private static String known(Collection<String> ids) {
        if (ids.isEmpty()) {
            return "; none are defined";
        }
        List<String> sorted = new ArrayList<>(ids);
        sorted.sort(null);
        return "; defined: " + String.join(", ", sorted);
    }
}
