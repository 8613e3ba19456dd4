package dev.vendorgate.gateway.runtime;

import dev.vendorgate.gateway.proxy.UpstreamTarget;
import dev.vendorgate.gateway.tls.TlsFiles;
import dev.vendorgate.gateway.token.Tokens;
import dev.vendorgate.policy.AccessPolicy;
import dev.vendorgate.policy.Policy;
import dev.vendorgate.policy.Upstream;
import dev.vendorgate.policy.Vendor;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.net.UnknownHostException;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ForkJoinPool;
import javax.net.ssl.SSLException;

/**
 * Turns a validated policy into a {@link GatewaySnapshot}: reads the pinned CA files, resolves
 * upstream names and builds upstream TLS contexts. Blocking work; never call on an event loop.
 */
public final class SnapshotBuilder {

    private SnapshotBuilder() {}

    public static GatewaySnapshot build(Policy policy) throws GatewayConfigException {
        return build(policy, true);
    }

    /**
     * As {@link #build(Policy)}; with {@code resolveHosts} false, upstream host names are left
     * unresolved (for {@code check --no-resolve}, a policy checked away from its network).
     */
    public static GatewaySnapshot build(Policy policy, boolean resolveHosts) throws GatewayConfigException {
        List<String> errors = new ArrayList<>();
        Map<String, GatewaySnapshot.PinnedCa> pinned = new HashMap<>();
        for (Vendor vendor : policy.vendors()) {
            if (vendor.pinnedCa().isEmpty()) {
                continue;
            }
            try {
                List<X509Certificate> cas = TlsFiles.certificates(vendor.pinnedCa());
                Set<TrustAnchor> anchors = new HashSet<>();
                cas.forEach(ca -> anchors.add(new TrustAnchor(ca, null)));
                pinned.put(vendor.id(), new GatewaySnapshot.PinnedCa(anchors, new HashSet<>(cas)));
            } catch (TlsFiles.TlsMaterialException e) {
                errors.add("vendor '" + vendor.id() + "' pinnedCa: " + e.getMessage());
            }
        }
        Map<String, UpstreamTarget> upstreams = new HashMap<>();
        for (Upstream upstream : policy.upstreams().values()) {
            try {
                upstreams.put(
                        upstream.id(),
                        new UpstreamTarget(
                                upstream,
                                clientTls(upstream),
                                resolveHosts
                                        ? UpstreamTarget.resolve(upstream)
                                        : java.net.InetSocketAddress.createUnresolved(
                                                upstream.host(), upstream.port())));
            } catch (UnknownHostException e) {
                errors.add("upstream '" + upstream.id() + "': cannot resolve host '" + upstream.host() + "'");
            } catch (TlsFiles.TlsMaterialException e) {
                errors.add("upstream '" + upstream.id() + "' tls: " + e.getMessage());
            }
        }
        Optional<Tokens> tokens = Optional.empty();
        if (policy.tokens().isPresent()) {
            try {
                tokens = Optional.of(Tokens.load(policy.tokens().get(), ForkJoinPool.commonPool()));
            } catch (IOException e) {
                errors.add("tokens: " + e.getMessage());
            }
        }
        if (!errors.isEmpty()) {
            throw new GatewayConfigException(errors);
        }
        return new GatewaySnapshot(AccessPolicy.compile(policy), pinned, upstreams, tokens);
    }

    private static SslContext clientTls(Upstream upstream) throws TlsFiles.TlsMaterialException {
        if (!upstream.isTls()) {
            return null;
        }
        try {
            SslContextBuilder builder =
                    SslContextBuilder.forClient().sslProvider(SslProvider.JDK).protocols("TLSv1.3", "TLSv1.2");
            List<java.nio.file.Path> ca =
                    upstream.tls().map(Upstream.UpstreamTls::ca).orElse(List.of());
            if (!ca.isEmpty()) {
                builder.trustManager(TlsFiles.certificates(ca));
            }
            return builder.build();
        } catch (SSLException e) {
            throw new TlsFiles.TlsMaterialException("cannot build TLS context: " + e.getMessage());
        }
    }

    /** Re-resolves every upstream host of {@code snapshot}; call off the event loop. */
    public static void refreshAddresses(GatewaySnapshot snapshot) {
        snapshot.upstreams().values().forEach(UpstreamTarget::refreshAddress);
    }
}
