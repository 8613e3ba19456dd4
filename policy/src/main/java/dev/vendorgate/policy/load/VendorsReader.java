package dev.vendorgate.policy.load;

import dev.vendorgate.policy.IdentityRule;
import dev.vendorgate.policy.Limits;
import dev.vendorgate.policy.Operator;
import dev.vendorgate.policy.Role;
import dev.vendorgate.policy.Vendor;
import dev.vendorgate.policy.VendorStatus;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Reads the {@code vendors} and {@code operators} sections. */
final class VendorsReader {

    private static final Set<String> VENDOR = Set.of(
            "id",
            "name",
            "identities",
            "pinnedCa",
            "routes",
            "scopes",
            "defaultScopes",
            "limits",
            "status",
            "canaries");
    private static final Set<String> LIMITS = Set.of(
            "requestsPerSecond",
            "burst",
            "perClient",
            "maxConcurrent",
            "maxConnections",
            "bytesOutPerDay",
            "bytesInPerDay",
            "onQuotaExceeded");
    private static final Set<String> PER_CLIENT = Set.of("requestsPerSecond", "burst");
    private static final Set<String> OPERATOR = Set.of("name", "identity", "role");

    private final ReadContext context;
    private final References references;
    private final IdentityReader identities;

    VendorsReader(ReadContext context, References references) {
        this.context = context;
        this.references = references;
        this.identities = new IdentityReader(context.problems);
    }

    List<Vendor> vendors(List<MapReader.Item> items) {
        List<Vendor> vendors = new ArrayList<>();
        for (MapReader.Item item : items) {
            Vendor vendor = vendor(item);
            if (vendor != null) {
                vendors.add(vendor);
            }
        }
        return vendors;
    }

    private Vendor vendor(MapReader.Item item) {
        MapReader r = MapReader.of(item.node(), item.path(), context.problems, VENDOR);
        if (r == null) {
            return null;
        }
        String id = context.id(r, "id");
        if (id != null) {
            references.vendorDefined(id, r.get("id"), r.pathOf("id"));
        }
        String owner = id == null ? item.path() : id; // distinct, so overlaps are still checked
        String name = r.has("name") ? r.string("name", false) : id;

        List<IdentityRule> rules = new ArrayList<>();
        List<MapReader.Item> identityItems = r.list("identities", true);
        if (r.has("identities") && identityItems.isEmpty()) {
            context.problems.add(r.get("identities"), r.pathOf("identities"), "must list at least one identity");
        }
        for (MapReader.Item identity : identityItems) {
            IdentityRule rule = identities.read(identity.node(), identity.path());
            if (rule != null) {
                rules.add(rule);
                references.vendorIdentity(owner, rule, identity.node(), identity.path());
            }
        }

        List<Path> pinned = new ArrayList<>();
        for (MapReader.StringItem file : r.strings("pinnedCa", false)) {
            Path path = context.file(file);
            if (path != null) {
                pinned.add(path);
            }
        }

        Set<String> scopes = new LinkedHashSet<>();
        for (MapReader.StringItem scope : r.strings("scopes", false)) {
            if (!RoutesReader.SCOPE.matcher(scope.value()).matches()) {
                context.problems.add(scope.node(), scope.path(), "'" + scope.value() + "' " + RoutesReader.SCOPE_RULE);
            } else {
                scopes.add(scope.value());
            }
        }

        Set<String> defaultScopes = new LinkedHashSet<>(scopes);
        if (r.has("defaultScopes")) {
            defaultScopes.clear();
            for (MapReader.StringItem scope : r.strings("defaultScopes", false)) {
                if (!scopes.contains(scope.value())) {
                    context.problems.add(
                            scope.node(), scope.path(), "'" + scope.value() + "' is not in this vendor's scopes");
                } else {
                    defaultScopes.add(scope.value());
                }
            }
        }

        Set<String> routes = new LinkedHashSet<>();
        for (MapReader.StringItem route : r.strings("routes", false)) {
            if (!routes.add(route.value())) {
                context.problems.add(route.node(), route.path(), "route '" + route.value() + "' is granted twice");
            } else {
                references.grant(owner, route.value(), scopes, route.node(), route.path());
            }
        }

        Limits limits = r.has("limits") ? limits(r) : Limits.NONE;
        VendorStatus status = VendorStatus.ACTIVE;
        String statusWord = r.string("status", false);
        if (statusWord != null) {
            status = VendorStatus.fromWord(statusWord);
            if (status == null) {
                context.problems.add(
                        r.get("status"),
                        r.pathOf("status"),
                        "'" + statusWord + "' is not one of active, suspended, read-only");
            }
        }
        List<String> canaries = TripwiresReader.canaries(r, "canaries", context.problems);
        if (id == null
                || name == null
                || rules.size() != identityItems.size()
                || rules.isEmpty()
                || limits == null
                || status == null
                || canaries == null) {
            return null;
        }
        return new Vendor(id, name, rules, pinned, routes, scopes, defaultScopes, limits, status, canaries);
    }

    private Limits limits(MapReader owner) {
        MapReader r = MapReader.of(owner.get("limits"), owner.pathOf("limits"), context.problems, LIMITS);
        if (r == null) {
            return null;
        }
        Double rate = r.positiveNumber("requestsPerSecond", 0.0);
        Long burst = r.integer("burst", 1, 1_000_000, 0L);
        if (r.has("burst") && !r.has("requestsPerSecond")) {
            context.problems.add(r.get("burst"), r.pathOf("burst"), "needs requestsPerSecond");
        }
        Long concurrent = r.integer("maxConcurrent", 1, 1_000_000, 0L);
        Long connections = r.integer("maxConnections", 1, 1_000_000, 0L);
        Long out = r.size("bytesOutPerDay", 0L);
        Long in = r.size("bytesInPerDay", 0L);
        Double clientRate = 0.0;
        Long clientBurst = 0L;
        if (r.has("perClient")) {
            MapReader c = MapReader.of(r.get("perClient"), r.pathOf("perClient"), context.problems, PER_CLIENT);
            if (c != null) {
                clientRate = c.positiveNumber("requestsPerSecond", null);
                if (clientRate == null && !c.has("requestsPerSecond")) {
                    c.missing("requestsPerSecond");
                }
                clientBurst = c.integer("burst", 1, 1_000_000, 0L);
            }
        }
        Limits.QuotaAction action = Limits.QuotaAction.CUT;
        String actionWord = r.string("onQuotaExceeded", false);
        if (actionWord != null) {
            action = Limits.QuotaAction.fromWord(actionWord);
            if (action == null) {
                context.problems.add(
                        r.get("onQuotaExceeded"),
                        r.pathOf("onQuotaExceeded"),
                        "'" + actionWord + "' is not one of cut, finish");
            }
        }
        if (rate == null
                || burst == null
                || concurrent == null
                || connections == null
                || out == null
                || in == null
                || clientRate == null
                || clientBurst == null
                || action == null) {
            return null;
        }
        long effectiveBurst = burst > 0 ? burst : rate > 0 ? Math.max(1, (long) Math.ceil(rate)) : 0;
        long effectiveClientBurst =
                clientBurst > 0 ? clientBurst : clientRate > 0 ? Math.max(1, (long) Math.ceil(clientRate)) : 0;
        return new Limits(
                rate,
                (int) effectiveBurst,
                clientRate,
                (int) effectiveClientBurst,
                concurrent.intValue(),
                connections.intValue(),
                out,
                in,
                action);
    }

    List<Operator> operators(List<MapReader.Item> items) {
        List<Operator> operators = new ArrayList<>();
        for (MapReader.Item item : items) {
            MapReader r = MapReader.of(item.node(), item.path(), context.problems, OPERATOR);
            if (r == null) {
                continue;
            }
            IdentityRule rule = r.has("identity")
                    ? identities.read(r.get("identity"), r.pathOf("identity"))
                    : r.missing("identity");
            String roleWord = r.string("role", true);
            Role role = roleWord == null ? null : Role.fromWord(roleWord);
            if (roleWord != null && role == null) {
                context.problems.add(
                        r.get("role"), r.pathOf("role"), "'" + roleWord + "' is not one of viewer, operator, admin");
            }
            String name = r.has("name") ? r.string("name", false) : rule == null ? null : IdentityReader.describe(rule);
            if (rule != null && name != null) {
                references.operatorIdentity(name, rule, r.get("identity"), r.pathOf("identity"));
            }
            if (rule != null && role != null && name != null) {
                operators.add(new Operator(name, rule, role));
            }
        }
        return operators;
    }
}
