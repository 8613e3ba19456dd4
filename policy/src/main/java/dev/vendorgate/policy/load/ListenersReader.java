package dev.vendorgate.policy.load;

import dev.vendorgate.policy.Endpoint;
import dev.vendorgate.policy.HttpSettings;
import dev.vendorgate.policy.Listeners;
import dev.vendorgate.policy.ServerTls;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Reads the {@code listeners} section. */
final class ListenersReader {

    private static final Set<String> LISTENERS = Set.of("vendor", "admin", "metrics");
    private static final Set<String> VENDOR = Set.of("bind", "tls", "http");
    private static final Set<String> ADMIN = Set.of("bind", "tls");
    private static final Set<String> METRICS = Set.of("bind");
    private static final Set<String> TLS = Set.of("cert", "key", "clientCa", "crl", "protocols", "handshakeTimeout");
    private static final Set<String> HTTP = Set.of(
            "maxConnections",
            "idleTimeout",
            "maxHeaderBytes",
            "maxRequestLineBytes",
            "maxConcurrentStreams",
            "maxInFlight",
            "headerTimeout",
            "maxHeaderCount",
            "underscoreHeaders",
            "maxConnectionsPerAddress");
    private static final Set<String> PROTOCOLS = Set.of("TLSv1.3", "TLSv1.2");

    private final ReadContext context;

    ListenersReader(ReadContext context) {
        this.context = context;
    }

    Listeners read(YamlNode node, String path) {
        MapReader listeners = MapReader.of(node, path, context.problems, LISTENERS);
        if (listeners == null) {
            return null;
        }
        Listeners.VendorListener vendor = listeners.has("vendor") ? vendor(listeners) : listeners.missing("vendor");
        Optional<Listeners.AdminListener> admin = Optional.empty();
        if (listeners.has("admin")) {
            MapReader r = MapReader.of(listeners.get("admin"), listeners.pathOf("admin"), context.problems, ADMIN);
            if (r != null) {
                admin = Optional.ofNullable(nullSafe(bind(r), tls(r), Listeners.AdminListener::new));
            }
        }
        Optional<Listeners.MetricsListener> metrics = Optional.empty();
        if (listeners.has("metrics")) {
            MapReader r =
                    MapReader.of(listeners.get("metrics"), listeners.pathOf("metrics"), context.problems, METRICS);
            if (r != null) {
                Endpoint bind = bind(r);
                metrics = bind == null ? Optional.empty() : Optional.of(new Listeners.MetricsListener(bind));
            }
        }
        return vendor == null ? null : new Listeners(vendor, admin, metrics);
    }

    private Listeners.VendorListener vendor(MapReader listeners) {
        MapReader r = MapReader.of(listeners.get("vendor"), listeners.pathOf("vendor"), context.problems, VENDOR);
        if (r == null) {
            return null;
        }
        Endpoint bind = bind(r);
        ServerTls tls = tls(r);
        HttpSettings http = r.has("http") ? http(r) : HttpSettings.DEFAULTS;
        return bind == null || tls == null || http == null ? null : new Listeners.VendorListener(bind, tls, http);
    }

    private Endpoint bind(MapReader r) {
        String text = r.string("bind", true);
        if (text == null) {
            return null;
        }
        try {
            return parseEndpoint(text);
        } catch (IllegalArgumentException e) {
            context.problems.add(r.get("bind"), r.pathOf("bind"), e.getMessage());
            return null;
        }
    }

    /** Parses {@code host:port} or {@code [v6]:port}. */
    static Endpoint parseEndpoint(String text) {
        String host;
        String port;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close <= 1 || close + 1 >= text.length() || text.charAt(close + 1) != ':') {
                throw new IllegalArgumentException("'" + text + "' is not host:port (IPv6 as [::1]:8443)");
            }
            host = text.substring(1, close);
            port = text.substring(close + 2);
        } else {
            int colon = text.lastIndexOf(':');
            if (colon <= 0 || text.indexOf(':') != colon) {
                throw new IllegalArgumentException("'" + text + "' is not host:port (for example 0.0.0.0:8443)");
            }
            host = text.substring(0, colon);
            port = text.substring(colon + 1);
        }
        if (!port.matches("[0-9]{1,5}")) { // Integer.parseInt would also take "+80" and non-ASCII digits
            throw new IllegalArgumentException("'" + port + "' is not a port (0-65535)");
        }
        try {
            int value = Integer.parseInt(port);
            if (value < 0 || value > 65535) {
                throw new NumberFormatException();
            }
            return new Endpoint(host, value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + port + "' is not a port (0-65535)");
        }
    }

    private ServerTls tls(MapReader owner) {
        if (!owner.has("tls")) {
            return owner.missing("tls");
        }
        MapReader r = MapReader.of(owner.get("tls"), owner.pathOf("tls"), context.problems, TLS);
        if (r == null) {
            return null;
        }
        Path cert = context.file(r, "cert", true);
        Path key = context.file(r, "key", true);
        List<Path> clientCa = files(r, "clientCa", true);
        if (r.has("clientCa") && clientCa.isEmpty()) {
            context.problems.add(r.get("clientCa"), r.pathOf("clientCa"), "must name at least one CA certificate file");
        }
        List<Path> crl = files(r, "crl", false);
        List<String> protocols = ServerTls.DEFAULT_PROTOCOLS;
        if (r.has("protocols")) {
            protocols = new ArrayList<>();
            for (MapReader.StringItem item : r.strings("protocols", false)) {
                if (!PROTOCOLS.contains(item.value())) {
                    context.problems.add(
                            item.node(),
                            item.path(),
                            "'" + item.value() + "' is not allowed; only TLSv1.3 and TLSv1.2 are supported");
                } else if (!protocols.contains(item.value())) {
                    protocols.add(item.value());
                }
            }
            if (protocols.isEmpty()) {
                context.problems.add(r.get("protocols"), r.pathOf("protocols"), "must enable TLSv1.3, TLSv1.2 or both");
            }
        }
        Duration handshake = r.duration("handshakeTimeout", ServerTls.DEFAULT_HANDSHAKE_TIMEOUT);
        if (cert == null || key == null || clientCa.isEmpty() || handshake == null) {
            return null;
        }
        return new ServerTls(cert, key, clientCa, crl, protocols, handshake);
    }

    private List<Path> files(MapReader r, String key, boolean required) {
        List<Path> out = new ArrayList<>();
        for (MapReader.StringItem item : r.strings(key, required)) {
            Path file = context.file(item);
            if (file != null) {
                out.add(file);
            }
        }
        return out;
    }

    private HttpSettings http(MapReader owner) {
        MapReader r = MapReader.of(owner.get("http"), owner.pathOf("http"), context.problems, HTTP);
        if (r == null) {
            return null;
        }
        HttpSettings d = HttpSettings.DEFAULTS;
        Long maxConnections = r.integer("maxConnections", 1, 1_000_000, (long) d.maxConnections());
        Duration idle = r.duration("idleTimeout", d.idleTimeout());
        Long header = r.integer("maxHeaderBytes", 1024, 1024 * 1024, (long) d.maxHeaderBytes());
        Long line = r.integer("maxRequestLineBytes", 256, 1024 * 1024, (long) d.maxRequestLineBytes());
        Long streams = r.integer("maxConcurrentStreams", 1, 10_000, (long) d.maxConcurrentStreams());
        Long inFlight = r.integer("maxInFlight", 1, 1_000_000, (long) d.maxInFlight());
        Duration headerTimeout = r.duration("headerTimeout", d.headerTimeout());
        Long headerCount = r.integer("maxHeaderCount", 1, 10_000, (long) d.maxHeaderCount());
        Long perAddress = r.integer("maxConnectionsPerAddress", 1, 1_000_000, (long) d.maxConnectionsPerAddress());
        HttpSettings.UnderscoreHeaders underscores = d.underscoreHeaders();
        String underscoreWord = r.string("underscoreHeaders", false);
        if (underscoreWord != null) {
            underscores = HttpSettings.UnderscoreHeaders.fromWord(underscoreWord);
            if (underscores == null) {
                context.problems.add(
                        r.get("underscoreHeaders"),
                        r.pathOf("underscoreHeaders"),
                        "'" + underscoreWord + "' is not one of reject, drop, allow");
            }
        }
        if (maxConnections == null
                || idle == null
                || header == null
                || line == null
                || streams == null
                || inFlight == null
                || headerTimeout == null
                || headerCount == null
                || underscores == null
                || perAddress == null) {
            return null;
        }
        return new HttpSettings(
                maxConnections.intValue(),
                idle,
                header.intValue(),
                line.intValue(),
                streams.intValue(),
                inFlight.intValue(),
                headerTimeout,
                headerCount.intValue(),
                underscores,
                perAddress.intValue());
    }

    private interface Constructor<A, B, R> {
        R make(A a, B b);
    }

    private static <A, B, R> R nullSafe(A a, B b, Constructor<A, B, R> constructor) {
        return a == null || b == null ? null : constructor.make(a, b);
    }
}
