package dev.vendorgate.gateway.runtime;

import dev.vendorgate.gateway.proxy.UpstreamTarget;
import dev.vendorgate.gateway.token.Tokens;
import dev.vendorgate.policy.AccessPolicy;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Everything request handling reads from the policy, prepared off the event loops (files read,
 * names resolved, TLS contexts built) and swapped in whole: a request sees one snapshot from
 * start to end, never half of an old policy and half of a new one.
 *
 * @param access the compiled policy
 * @param pinnedCas per vendor id, the CAs its certificates must chain through (absent: no pin)
 * @param upstreams per upstream id, where to connect
 * @param tokens the token issuer and verifier, when the policy uses tokens
 */
public record GatewaySnapshot(
        AccessPolicy access,
        Map<String, PinnedCa> pinnedCas,
        Map<String, UpstreamTarget> upstreams,
        Optional<Tokens> tokens) {

    public GatewaySnapshot {
        Objects.requireNonNull(access, "access");
        pinnedCas = Map.copyOf(pinnedCas);
        upstreams = Map.copyOf(upstreams);
        Objects.requireNonNull(tokens, "tokens");
    }

    /** A vendor's pinned CAs, ready for path validation. */
    public record PinnedCa(Set<TrustAnchor> anchors, Set<X509Certificate> certificates) {
        public PinnedCa {
            anchors = Set.copyOf(anchors);
            certificates = Set.copyOf(certificates);
        }
    }
}
