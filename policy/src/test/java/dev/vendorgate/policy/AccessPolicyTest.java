package dev.vendorgate.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vendorgate.policy.load.PolicyLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Identification by certificate facts and the per-request decision, without any socket. */
class AccessPolicyTest {

    private static final String POLICY = """
            listeners:
              vendor:
                bind: "127.0.0.1:8443"
                tls: { cert: s.pem, key: s.key, clientCa: [ca.pem] }
            upstreams:
              data: { url: "http://127.0.0.1:8080" }
            routes:
              - { id: read, pathPrefix: /datasets, methods: [GET, HEAD], upstream: data }
              - { id: write, pathPrefix: /annotations, methods: [POST], upstream: data }
            vendors:
              - id: acme
                identities: [ { spiffe: "spiffe://lab.example/vendor/acme" } ]
                routes: [read, write]
              - id: initech
                identities: [ { subject: { O: Initech, OU: labelling } } ]
                routes: [read]
              - id: hooli
                identities: [ { sha256: "AB:CD:EF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC" } ]
                routes: [read]
            operators:
              - { name: alice, identity: { spiffe: "spiffe://lab.example/ops/alice" }, role: operator }
            """;

    private final AccessPolicy access;

    AccessPolicyTest() throws Exception {
        access = AccessPolicy.compile(PolicyLoader.parse(POLICY, "p.yaml", Path.of("."), false));
    }

    private static PeerCertificate cert(List<String> uris, Map<String, List<String>> subject, String sha256) {
        return new PeerCertificate(uris, "CN=x", subject, sha256);
    }

    private String vendorOf(PeerCertificate certificate) {
        AccessPolicy.Identification id = access.identifyVendor(certificate);
        return id instanceof AccessPolicy.Identification.Identified i
                ? i.vendor().id()
                : ((AccessPolicy.Identification.Refused) id).deny().reason().code();
    }

    @Test
    void spiffeIdsMatchTheVendorAndItsClientsOnSegmentBoundaries() {
        assertThat(vendorOf(cert(List.of("spiffe://lab.example/vendor/acme"), Map.of(), "0")))
                .isEqualTo("acme");
        assertThat(vendorOf(cert(List.of("spiffe://lab.example/vendor/acme/etl-7"), Map.of(), "0")))
                .isEqualTo("acme");
        assertThat(vendorOf(cert(List.of("spiffe://lab.example/vendor/acme-evil"), Map.of(), "0")))
                .isEqualTo("unknown-identity");
        assertThat(vendorOf(cert(List.of("spiffe://lab.example/vendor"), Map.of(), "0")))
                .isEqualTo("unknown-identity");
        assertThat(vendorOf(cert(List.of("spiffe://other.example/vendor/acme"), Map.of(), "0")))
                .isEqualTo("unknown-identity");
    }

    @Test
    void aCertificateWithAnInvalidSpiffeIdIdentifiesNoVendor() {
        // each would reach acme by prefix, or by a parser that resolves dot segments
        for (String id : List.of(
                "spiffe://lab.example/vendor/acme/../acme",
                "spiffe://lab.example/vendor/acme/./x",
                "spiffe://lab.example/vendor/acme/",
                "spiffe://lab.example/vendor/acme//x",
                "spiffe://lab.example/vendor/acme/%2e%2e",
                "spiffe://lab.example/vendor/acme/x?y",
                "spiffe://lab.example/vendor/acme/x#y",
                "spiffe://Lab.example/vendor/acme",
                "SPIFFE://lab.example/vendor/acme",
                "spiffe://lab.example:443/vendor/acme",
                "spiffe://lab.example/vendor/acme/" + "x".repeat(2048))) {
            assertThat(vendorOf(cert(List.of(id), Map.of(), "0"))).as(id).isEqualTo("invalid-spiffe-id");
        }
        // the SPIFFE ID in the issue: globex's prefix with a '..' segment back to acme
        assertThat(vendorOf(cert(List.of("spiffe://lab.example/vendor/initech/../acme"), Map.of(), "0")))
                .isEqualTo("invalid-spiffe-id");
    }

    @Test
    void anInvalidSpiffeIdSpoilsTheWholeCertificate() {
        // other rule kinds would match, but the certificate also names a workload no one can be sure of
        PeerCertificate initech = cert(
                List.of("spiffe://lab.example/vendor/acme/../x"),
                Map.of("O", List.of("Initech"), "OU", List.of("labelling")),
                "0");
        PeerCertificate alice =
                cert(List.of("spiffe://lab.example/ops/alice", "spiffe://lab.example/ops/alice/.."), Map.of(), "0");

        assertThat(vendorOf(initech)).isEqualTo("invalid-spiffe-id");
        assertThat(access.identifyOperator(alice)).isEmpty();
        assertThat(((AccessPolicy.Identification.Refused) access.identifyVendor(initech))
                        .deny()
                        .detail())
                .contains("not a valid SPIFFE ID")
                .contains("path segment '..'");
    }

    @Test
    void otherUriSchemesAreNotSpiffeIds() {
        PeerCertificate initech = cert(
                List.of("https://lab.example/vendor/acme/../x"),
                Map.of("O", List.of("Initech"), "OU", List.of("labelling")),
                "0");

        assertThat(vendorOf(initech)).isEqualTo("initech");
    }

    @Test
    void subjectRulesNeedEveryListedAttribute() {
        assertThat(vendorOf(cert(
                        List.of(),
                        Map.of("O", List.of("Initech"), "OU", List.of("ops", "labelling"), "CN", List.of("bot")),
                        "0")))
                .isEqualTo("initech");
        assertThat(vendorOf(cert(List.of(), Map.of("O", List.of("Initech")), "0")))
                .isEqualTo("unknown-identity");
    }

    @Test
    void fingerprintRulesMatchExactlyOneCertificate() {
        String print = "abcdef00112233445566778899aabbccddeeff00112233445566778899aabbcc";
        assertThat(vendorOf(cert(List.of(), Map.of(), print))).isEqualTo("hooli");
        assertThat(vendorOf(cert(List.of(), Map.of(), print.replace('a', 'b')))).isEqualTo("unknown-identity");
    }

    @Test
    void aCertificateMatchingTwoVendorsIsRefused() {
        PeerCertificate both = cert(
                List.of("spiffe://lab.example/vendor/acme"),
                Map.of("O", List.of("Initech"), "OU", List.of("labelling")),
                "0");

        assertThat(vendorOf(both)).isEqualTo("ambiguous-identity");
    }

    @Test
    void operatorsAreIdentifiedSeparately() {
        PeerCertificate alice = cert(List.of("spiffe://lab.example/ops/alice"), Map.of(), "0");

        assertThat(access.identifyOperator(alice))
                .get()
                .extracting(Operator::name)
                .isEqualTo("alice");
        assertThat(vendorOf(alice)).isEqualTo("unknown-identity");
    }

    private String decide(String vendor, VendorStatus status, String method, String path) {
        AccessDecision decision = access.decide(access.vendor(vendor).orElseThrow(), status, method, path);
        return decision instanceof AccessDecision.Allow a
                ? "allow " + a.route().id()
                : ((AccessDecision.Deny) decision).reason().code();
    }

    @Test
    void decisions() {
        assertThat(decide("acme", VendorStatus.ACTIVE, "GET", "/datasets/a")).isEqualTo("allow read");
        assertThat(decide("acme", VendorStatus.ACTIVE, "POST", "/annotations/a"))
                .isEqualTo("allow write");
        assertThat(decide("initech", VendorStatus.ACTIVE, "POST", "/annotations/a"))
                .isEqualTo("route-not-granted");
        assertThat(decide("acme", VendorStatus.ACTIVE, "GET", "/models/a")).isEqualTo("no-route");
        assertThat(decide("acme", VendorStatus.ACTIVE, "DELETE", "/datasets/a")).isEqualTo("method-not-allowed");
        assertThat(decide("acme", VendorStatus.SUSPENDED, "GET", "/datasets/a")).isEqualTo("vendor-suspended");
        assertThat(decide("acme", VendorStatus.READ_ONLY, "GET", "/datasets/a")).isEqualTo("allow read");
        assertThat(decide("acme", VendorStatus.READ_ONLY, "POST", "/annotations/a"))
                .isEqualTo("vendor-read-only");
    }

    @Test
    void methodNotAllowedListsWhatIs() {
        AccessDecision.Deny deny = (AccessDecision.Deny)
                access.decide(access.vendor("acme").orElseThrow(), VendorStatus.ACTIVE, "PUT", "/datasets/a");

        assertThat(deny.allowedMethods()).containsExactlyInAnyOrder("GET", "HEAD");
    }
}
