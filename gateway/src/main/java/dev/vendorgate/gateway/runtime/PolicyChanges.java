package dev.vendorgate.gateway.runtime;

import dev.vendorgate.policy.Policy;
import dev.vendorgate.policy.Route;
import dev.vendorgate.policy.Vendor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * What a reload changed, in words an auditor can read: vendors, their grants, scopes, limits,
 * identities and status; routes and upstreams added, removed or changed. Goes into the reload's
 * audit record beside the policy's hash.
 */
final class PolicyChanges {

    private PolicyChanges() {}

    static List<String> between(Policy before, Policy after) {
        List<String> changes = new ArrayList<>();
        Map<String, Vendor> oldVendors = byId(before.vendors(), Vendor::id);
        Map<String, Vendor> newVendors = byId(after.vendors(), Vendor::id);
        for (String id : union(oldVendors.keySet(), newVendors.keySet())) {
            Vendor was = oldVendors.get(id);
            Vendor is = newVendors.get(id);
            if (was == null) {
                changes.add("vendor " + id + " added (routes " + new TreeSet<>(is.routes()) + ")");
            } else if (is == null) {
                changes.add("vendor " + id + " removed");
            } else if (!was.equals(is)) {
                List<String> what = new ArrayList<>();
                if (!was.routes().equals(is.routes())) {
                    what.add("routes " + new TreeSet<>(was.routes()) + " -> " + new TreeSet<>(is.routes()));
                }
                if (!was.scopes().equals(is.scopes()) || !was.defaultScopes().equals(is.defaultScopes())) {
                    what.add("scopes " + new TreeSet<>(was.scopes()) + " -> " + new TreeSet<>(is.scopes()));
                }
                if (!was.limits().equals(is.limits())) {
                    what.add("limits " + was.limits() + " -> " + is.limits());
                }
                if (!was.identities().equals(is.identities()) || !was.pinnedCa().equals(is.pinnedCa())) {
                    what.add("identities or pinned CAs");
                }
                if (was.status() != is.status()) {
                    what.add("status " + was.status().word() + " -> "
                            + is.status().word());
                }
                if (!Objects.equals(was.name(), is.name())) {
                    what.add("name");
                }
                changes.add("vendor " + id + " changed: " + String.join("; ", what));
            }
        }
        Map<String, Route> oldRoutes = byId(before.routes(), Route::id);
        Map<String, Route> newRoutes = byId(after.routes(), Route::id);
        for (String id : union(oldRoutes.keySet(), newRoutes.keySet())) {
            Route was = oldRoutes.get(id);
            Route is = newRoutes.get(id);
            if (was == null) {
                changes.add("route " + id + " added (" + is.pathPrefix() + " " + new TreeSet<>(is.methods()) + ")");
            } else if (is == null) {
                changes.add("route " + id + " removed");
            } else if (!was.equals(is)) {
                changes.add("route " + id + " changed");
            }
        }
        for (String id : union(before.upstreams().keySet(), after.upstreams().keySet())) {
            if (!Objects.equals(before.upstreams().get(id), after.upstreams().get(id))) {
                changes.add("upstream " + id
                        + (before.upstreams().get(id) == null
                                ? " added"
                                : after.upstreams().get(id) == null ? " removed" : " changed"));
            }
        }
        if (!before.operators().equals(after.operators())) {
            changes.add("operators changed");
        }
        if (!before.tokens().equals(after.tokens())) {
            changes.add("tokens settings changed");
        }
        if (!before.listeners().equals(after.listeners())
                || !before.state().equals(after.state())
                || !before.audit().equals(after.audit())) {
            changes.add("listeners, controlStore or audit changed (applied at the next restart)");
        }
        return changes;
    }

    private static <T> Map<String, T> byId(List<T> items, Function<T, String> id) {
        Map<String, T> map = new java.util.TreeMap<>();
        items.forEach(item -> map.put(id.apply(item), item));
        return map;
    }

    private static TreeSet<String> union(java.util.Set<String> a, java.util.Set<String> b) {
        TreeSet<String> all = new TreeSet<>(a);
        all.addAll(b);
        return all;
    }
}
