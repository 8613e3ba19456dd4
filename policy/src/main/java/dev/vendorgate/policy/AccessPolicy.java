package dev.vendorgate.policy;

import dev.vendorgate.policy.match.IdentityIndex;
import dev.vendorgate.policy.match.RouteTable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A policy compiled for answering questions fast: whose certificate is this, and may this
 * vendor make this request. Default deny: anything not granted is refused.
 */
public final class AccessPolicy {

    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    private final Policy policy;
    private final RouteTable routes;
    private final Map<String, Vendor> vendors = new LinkedHashMap<>();
    private final IdentityIndex<Vendor> vendorIdentities = new IdentityIndex<>();
    private final IdentityIndex<Operator> operatorIdentities = new IdentityIndex<>();

    private AccessPolicy(Policy policy) {
        this.policy = policy;
        this.routes = new RouteTable(policy.routes());
        for (Vendor vendor : policy.vendors()) {
            vendors.put(vendor.id(), vendor);
            vendor.identities().forEach(rule -> vendorIdentities.add(rule, vendor));
        }
        for (Operator operator : policy.operators()) {
            operatorIdentities.add(operator.identity(), operator);
        }
    }

    public static AccessPolicy compile(Policy policy) {
        return new AccessPolicy(Objects.requireNonNull(policy, "policy"));
    }

    public Policy policy() {
        return policy;
    }

    public Optional<Vendor> vendor(String id) {
        return Optional.ofNullable(vendors.get(id));
    }

    /**
     * Whose certificate this is: exactly one vendor, or a refusal saying why not. A certificate
     * with an invalid SPIFFE ID is nobody's, whatever else in it matches a rule.
     */
    public Identification identifyVendor(PeerCertificate certificate) {
        Objects.requireNonNull(certificate, "certificate");
        String invalid = invalidSpiffeId(certificate);
        if (invalid != null) {
            return new Identification.Refused(new AccessDecision.Deny(
                    DenyReason.INVALID_SPIFFE_ID,
                    "The client certificate's URI SAN is not a valid SPIFFE ID (" + invalid + "); it identifies no "
                            + "vendor."));
        }
        Set<Vendor> owners = vendorIdentities.owners(certificate);
        if (owners.size() == 1) {
            return new Identification.Identified(owners.iterator().next());
        }
        if (owners.isEmpty()) {
            return new Identification.Refused(new AccessDecision.Deny(
                    DenyReason.UNKNOWN_IDENTITY,
                    "The client certificate is trusted but matches no vendor in the gateway's policy."));
        }
        return new Identification.Refused(new AccessDecision.Deny(
                DenyReason.AMBIGUOUS_IDENTITY,
                "The client certificate matches more than one vendor; ask the lab to fix the policy."));
    }

    /** The operator owning the certificate, if exactly one does and its SPIFFE IDs are valid. */
    public Optional<Operator> identifyOperator(PeerCertificate certificate) {
        if (invalidSpiffeId(Objects.requireNonNull(certificate, "certificate")) != null) {
            return Optional.empty();
        }
        Set<Operator> owners = operatorIdentities.owners(certificate);
        return owners.size() == 1 ? Optional.of(owners.iterator().next()) : Optional.empty();
    }

    /**
     * Decides one request.
     *
     * @param vendor the vendor identified from the client certificate
     * @param status the vendor's effective status (the policy's, or a stricter one set at run time)
     * @param method the request method
     * @param canonicalPath the canonical request path
     */
    public AccessDecision decide(Vendor vendor, VendorStatus status, String method, String canonicalPath) {
        Objects.requireNonNull(vendor, "vendor");
        Objects.requireNonNull(status, "status");
        if (status == VendorStatus.SUSPENDED) {
            return new AccessDecision.Deny(
                    DenyReason.VENDOR_SUSPENDED, "Access for vendor '" + vendor.id() + "' is suspended.");
        }
        RouteTable.RouteMatch match = routes.match(method, canonicalPath);
        if (match instanceof RouteTable.RouteMatch.MethodNotAllowed m) {
            return new AccessDecision.Deny(
                    DenyReason.METHOD_NOT_ALLOWED, "Method " + method + " is not allowed on this path.", m.allowed());
        }
        if (!(match instanceof RouteTable.RouteMatch.Matched matched)) {
            return new AccessDecision.Deny(DenyReason.NO_ROUTE, "No route matches this path.");
        }
        Route route = matched.route();
        if (!vendor.routes().contains(route.id())) {
            return new AccessDecision.Deny(
                    DenyReason.ROUTE_NOT_GRANTED,
                    "Route '" + route.id() + "' is not granted to vendor '" + vendor.id() + "'.");
        }
        if (status == VendorStatus.READ_ONLY && !SAFE_METHODS.contains(method)) {
            return new AccessDecision.Deny(
                    DenyReason.VENDOR_READ_ONLY, "Vendor '" + vendor.id() + "' may only read at the moment.");
        }
        return new AccessDecision.Allow(vendor, route);
    }

    /** Why one of the certificate's SPIFFE-scheme URIs is not a valid SPIFFE ID, or null when none is invalid. */
    private static String invalidSpiffeId(PeerCertificate certificate) {
        for (String uri : certificate.uris()) {
            if (SpiffeId.claimed(uri)) {
                String problem = SpiffeId.problem(uri);
                if (problem != null) {
                    return problem;
                }
            }
        }
        return null;
    }

    /** The result of identifying a vendor by certificate. */
    public sealed interface Identification {
        record Identified(Vendor vendor) implements Identification {}

        record Refused(AccessDecision.Deny deny) implements Identification {}
    }
}
