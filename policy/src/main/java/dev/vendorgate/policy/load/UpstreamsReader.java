package dev.vendorgate.policy.load;

import dev.vendorgate.policy.Upstream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Reads the {@code upstreams} section: a map from id to upstream. */
final class UpstreamsReader {

    private static final Set<String> UPSTREAM = Set.of("url", "timeouts", "tls", "maxIdleConnections");
    private static final Set<String> TIMEOUTS = Set.of("connect", "request", "idle");
    private static final Set<String> TLS = Set.of("ca", "serverName");
    private static final int DEFAULT_MAX_IDLE = 64;

    private final ReadContext context;

    UpstreamsReader(ReadContext context) {
        this.context = context;
    }

    Map<String, Upstream> read(YamlNode node, String path) {
        Map<String, Upstream> upstreams = new LinkedHashMap<>();
        if (!(node instanceof YamlNode.Mapping map)) {
            context.problems.add(
                    node, path, "expected a map of upstream ids to upstreams, found " + MapReader.kindOf(node));
            return upstreams;
        }
        for (YamlNode.Entry entry : map.entries().values()) {
            String entryPath = MapReader.join(path, entry.key());
            if (!ReadContext.ID.matcher(entry.key()).matches()) {
                context.problems.add(
                        entry.line(),
                        entry.column(),
                        entryPath,
                        "upstream id '" + entry.key() + "' " + ReadContext.ID_RULE);
                continue;
            }
            Upstream upstream = upstream(entry.key(), entry.value(), entryPath);
            if (upstream != null) {
                upstreams.put(entry.key(), upstream);
            }
        }
        return upstreams;
    }

    private Upstream upstream(String id, YamlNode node, String path) {
        MapReader r = MapReader.of(node, path, context.problems, UPSTREAM);
        if (r == null) {
            return null;
        }
        String url = r.string("url", true);
        URI uri = url == null ? null : parseUrl(url, r.get("url"), r.pathOf("url"));
        Upstream.Timeouts timeouts = r.has("timeouts") ? timeouts(r) : Upstream.Timeouts.DEFAULTS;
        Optional<Upstream.UpstreamTls> tls = Optional.empty();
        if (r.has("tls")) {
            tls = Optional.ofNullable(tls(r));
            if (uri != null && !"https".equals(uri.getScheme())) {
                context.problems.add(r.get("tls"), r.pathOf("tls"), "only applies to an https:// url");
            }
        } else if (uri != null && "https".equals(uri.getScheme())) {
            tls = Optional.of(new Upstream.UpstreamTls(List.of(), Optional.empty()));
        }
        Long maxIdle = r.integer("maxIdleConnections", 0, 10_000, (long) DEFAULT_MAX_IDLE);
        if (uri == null || timeouts == null || maxIdle == null) {
            return null;
        }
        int port = uri.getPort() > 0 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
        String host = uri.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new Upstream(id, uri.getScheme(), host, port, timeouts, tls, maxIdle.intValue());
    }

    private URI parseUrl(String text, YamlNode at, String path) {
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            context.problems.add(at, path, "'" + text + "' is not a URL: " + e.getReason());
            return null;
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
            context.problems.add(at, path, "must start with http:// or https://");
            return null;
        }
        if (uri.getHost() == null) {
            context.problems.add(at, path, "must name a host, for example http://127.0.0.1:8080");
            return null;
        }
        if (uri.getPort() == 0 || uri.getPort() > 65535) { // URI takes any number; 0 used to mean 80
            context.problems.add(at, path, "port " + uri.getPort() + " is not 1-65535");
            return null;
        }
        if (uri.getRawUserInfo() != null
                || uri.getRawQuery() != null
                || uri.getRawFragment() != null
                || (uri.getRawPath() != null
                        && !uri.getRawPath().isEmpty()
                        && !uri.getRawPath().equals("/"))) {
            context.problems.add(
                    at,
                    path,
                    "must be scheme://host[:port] only (no user, path, query or fragment); "
                            + "requests keep their own path");
            return null;
        }
        return uri;
    }

    private Upstream.Timeouts timeouts(MapReader owner) {
        MapReader r = MapReader.of(owner.get("timeouts"), owner.pathOf("timeouts"), context.problems, TIMEOUTS);
        if (r == null) {
            return null;
        }
        Upstream.Timeouts d = Upstream.Timeouts.DEFAULTS;
        Duration connect = r.duration("connect", d.connect());
        Duration request = r.duration("request", d.request());
        Duration idle = r.duration("idle", d.idle());
        return connect == null || request == null || idle == null
                ? null
                : new Upstream.Timeouts(connect, request, idle);
    }

    private Upstream.UpstreamTls tls(MapReader owner) {
        MapReader r = MapReader.of(owner.get("tls"), owner.pathOf("tls"), context.problems, TLS);
        if (r == null) {
            return null;
        }
        List<Path> ca = new ArrayList<>();
        for (MapReader.StringItem item : r.strings("ca", false)) {
            Path file = context.file(item);
            if (file != null) {
                ca.add(file);
            }
        }
        return new Upstream.UpstreamTls(ca, Optional.ofNullable(r.string("serverName", false)));
    }
}
