package dev.vendorgate.policy.load;

import dev.vendorgate.policy.Route;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads the {@code routes} section and records the upstream each route refers to. */
final class RoutesReader {

    static final Set<String> METHODS = Set.of("GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE");
    static final Pattern SCOPE = Pattern.compile("[A-Za-z0-9._:/-]{1,128}");
    static final String SCOPE_RULE = "must be 1-128 characters of A-Z, a-z, 0-9, '.', '_', ':', '/' or '-'";
    private static final Set<String> ROUTE =
            Set.of("id", "pathPrefix", "methods", "upstream", "scopes", "maxBodyBytes", "cost", "forwardClientCert");
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9._~!$&'()*+,=:@-]+");

    private final ReadContext context;
    private final References references;

    RoutesReader(ReadContext context, References references) {
        this.context = context;
        this.references = references;
    }

    List<Route> read(List<MapReader.Item> items) {
        List<Route> routes = new ArrayList<>();
        for (MapReader.Item item : items) {
            MapReader r = MapReader.of(item.node(), item.path(), context.problems, ROUTE);
            if (r == null) {
                continue;
            }
            String id = context.id(r, "id");
            String prefix = pathPrefix(r);
            Set<String> methods = methods(r);
            String upstream = r.string("upstream", true);
            if (upstream != null) {
                references.upstream(upstream, r.get("upstream"), r.pathOf("upstream"));
            }
            List<String> scopes = new ArrayList<>();
            Map<String, List<String>> methodScopes = new LinkedHashMap<>();
            if (r.get("scopes") instanceof YamlNode.Mapping byMethod) {
                // scopes per method: {GET: [datasets:read], PUT: [datasets:write]}
                for (YamlNode.Entry entry : byMethod.entries().values()) {
                    String path = MapReader.join(r.pathOf("scopes"), entry.key());
                    if (!METHODS.contains(entry.key())) {
                        context.problems.add(
                                entry.line(),
                                entry.column(),
                                path,
                                "'" + entry.key() + "' is not a method (GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE)");
                        continue;
                    }
                    methodScopes.put(entry.key(), scopeList(entry.value(), path));
                }
            } else {
                scopes.addAll(scopeList(r.get("scopes"), r.pathOf("scopes")));
            }
            Long maxBody = r.size("maxBodyBytes", 0L);
            Long cost = r.integer("cost", 1, 1_000, 1L);
            Boolean forwardClientCert = r.bool("forwardClientCert", false);
            if (id != null) {
                references.routeDefined(id, r.get("id"), r.pathOf("id"));
            }
            if (id != null
                    && prefix != null
                    && methods != null
                    && upstream != null
                    && maxBody != null
                    && cost != null
                    && forwardClientCert != null) {
                for (String method : methodScopes.keySet()) {
                    if (!methods.contains(method)) {
                        context.problems.add(
                                r.get("scopes"),
                                r.pathOf("scopes") + "." + method,
                                "method " + method + " is not one of this route's methods");
                    }
                }
                Route route = new Route(
                        id,
                        prefix,
                        methods,
                        upstream,
                        scopes,
                        methodScopes,
                        maxBody,
                        cost.intValue(),
                        forwardClientCert);
                references.routeShape(route, r.node(), item.path());
                if (route.requiresToken()) {
                    references.tokensNeeded("route '" + id + "'", r.get("scopes"), r.pathOf("scopes"));
                }
                routes.add(route);
            }
        }
        return routes;
    }

    /** A list of scopes (absent: empty), each checked. */
    private List<String> scopeList(YamlNode node, String path) {
        List<String> scopes = new ArrayList<>();
        if (node == null || node instanceof YamlNode.Null) {
            return scopes;
        }
        if (!(node instanceof YamlNode.Sequence seq)) {
            context.problems.add(
                    node, path, "expected a list of scopes, or a map of method to scopes, found " + node.kind());
            return scopes;
        }
        for (int i = 0; i < seq.items().size(); i++) {
            YamlNode item = seq.items().get(i);
            String itemPath = path + "[" + i + "]";
            if (item instanceof YamlNode.Scalar s
                    && s.type() == YamlNode.Scalar.Type.STRING
                    && SCOPE.matcher(s.text()).matches()) {
                scopes.add(s.text());
            } else {
                context.problems.add(
                        item, itemPath, (item instanceof YamlNode.Scalar s ? "'" + s.text() + "' " : "") + SCOPE_RULE);
            }
        }
        return scopes;
    }

    private String pathPrefix(MapReader r) {
        String prefix = r.string("pathPrefix", true);
        if (prefix == null) {
            return null;
        }
        String problem = prefixProblem(prefix);
        if (problem != null) {
            context.problems.add(r.get("pathPrefix"), r.pathOf("pathPrefix"), problem);
            return null;
        }
        return prefix.length() > 1 && prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
    }

    /** Why {@code prefix} is not a canonical path prefix, or null when it is one. */
    static String prefixProblem(String prefix) {
        if (!prefix.startsWith("/")) {
            return "must start with '/'";
        }
        if (prefix.equals("/")) {
            return null;
        }
        // one trailing slash is allowed ("/datasets/"); "//" is an empty segment, not the root
        String body = prefix.endsWith("/") ? prefix.substring(1, prefix.length() - 1) : prefix.substring(1);
        for (String segment : body.split("/", -1)) {
            if (segment.isEmpty()) {
                return "must not contain empty segments ('//')";
            }
            if (segment.equals(".") || segment.equals("..")) {
                return "must not contain '.' or '..' segments";
            }
            if (!SEGMENT.matcher(segment).matches()) {
                return "segment '" + segment + "' must be plain characters (no '%', '?', '#', ';', '\\' or spaces): "
                        + "routes match the decoded, canonical path";
            }
        }
        return null;
    }

    private Set<String> methods(MapReader r) {
        Set<String> methods = new LinkedHashSet<>();
        List<MapReader.StringItem> items = r.strings("methods", true);
        if (r.has("methods") && items.isEmpty() && r.get("methods") instanceof YamlNode.Sequence) {
            context.problems.add(r.get("methods"), r.pathOf("methods"), "must list at least one method");
            return null;
        }
        boolean ok = !items.isEmpty();
        for (MapReader.StringItem item : items) {
            if (!METHODS.contains(item.value())) {
                context.problems.add(
                        item.node(),
                        item.path(),
                        "'" + item.value() + "' is not one of "
                                + String.join(", ", List.of("GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE"))
                                + " (upper case)");
                ok = false;
            } else if (!methods.add(item.value())) {
                context.problems.add(item.node(), item.path(), "method '" + item.value() + "' is listed twice");
            }
        }
        return ok ? methods : null;
    }
}
