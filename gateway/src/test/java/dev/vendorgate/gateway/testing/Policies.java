package dev.vendorgate.gateway.testing;

/** Inline policies shared by the in-process gateway tests. */
public final class Policies {

    private Policies() {}

    /**
     * Two vendors and routes covering each upstream behaviour of {@link TestUpstream}: acme may
     * read, write and use the test routes; globex may only read datasets.
     */
    public static final String TWO_VENDORS = """
            version: 1
            listeners:
              vendor:
                bind: "127.0.0.1:0"
                tls: { cert: server.pem, key: server.key, clientCa: [ca.pem] }
                http: { idleTimeout: 30s }
            upstreams:
              data:
                url: "http://127.0.0.1:${UPSTREAM_PORT}"
                timeouts: { connect: 2s, request: 1500ms, idle: 5s }
              dead:
                url: "http://127.0.0.1:${DEAD_PORT}"
            routes:
              - { id: dataset-read, pathPrefix: /datasets, methods: [GET, HEAD], upstream: data }
              - { id: annotation-write, pathPrefix: /annotations, methods: [POST, PUT], upstream: data, maxBodyBytes: 1MiB }
              - { id: hang, pathPrefix: /hang, methods: [GET], upstream: data }
              - { id: slow, pathPrefix: /slow, methods: [GET], upstream: data }
              - { id: bytes, pathPrefix: /bytes, methods: [GET], upstream: data }
              - { id: close, pathPrefix: /close, methods: [GET], upstream: data }
              - { id: dead, pathPrefix: /dead, methods: [GET], upstream: dead }
            vendors:
              - id: acme
                identities: [ { spiffe: "spiffe://lab.example/vendor/acme" } ]
                routes: [dataset-read, annotation-write, hang, slow, bytes, close, dead]
              - id: globex
                identities: [ { spiffe: "spiffe://lab.example/vendor/globex" } ]
                routes: [dataset-read]
            """;

    /** {@link #TWO_VENDORS} with an admin listener and one operator of each role. */
    public static final String WITH_ADMIN = TWO_VENDORS.replace("""
            upstreams:""", """
              admin:
                bind: "127.0.0.1:0"
                tls: { cert: server.pem, key: server.key, clientCa: [ca.pem] }
              metrics:
                bind: "127.0.0.1:0"
            upstreams:""") + """
            operators:
              - { name: root, identity: { spiffe: "spiffe://lab.example/ops/root" }, role: admin }
              - { name: oncall, identity: { spiffe: "spiffe://lab.example/ops/oncall" }, role: operator }
              - { name: auditor, identity: { spiffe: "spiffe://lab.example/ops/auditor" }, role: viewer }
            """;

    /**
     * Tokens required on most routes, an external identity provider trusted through a JWKS file
     * ({@code ${IDP_JWKS}}), and an admin listener.
     */
    public static final String WITH_TOKENS = """
            version: 1
            listeners:
              vendor:
                bind: "127.0.0.1:0"
                tls: { cert: server.pem, key: server.key, clientCa: [ca.pem] }
              admin:
                bind: "127.0.0.1:0"
                tls: { cert: server.pem, key: server.key, clientCa: [ca.pem] }
              metrics:
                bind: "127.0.0.1:0"
            tokens:
              issuer: "https://gateway.test"
              audience: lab-data
              ttl: 5m
              clockSkew: 5s
              signingKeys: keys/
              trustedIssuers:
                - issuer: "https://idp.test"
                  jwks: ${IDP_JWKS}
                  jwksCa: [ca.pem]
                  algorithms: [RS256, ES256]
            upstreams:
              data: { url: "http://127.0.0.1:${UPSTREAM_PORT}", timeouts: { request: 2s } }
            routes:
              - { id: dataset-read, pathPrefix: /datasets, methods: [GET, HEAD], upstream: data, scopes: [datasets:read] }
              - id: annotation-write
                pathPrefix: /annotations
                methods: [POST, PUT]
                upstream: data
                scopes: { POST: [annotations:write], PUT: [annotations:write, annotations:overwrite] }
              - { id: open, pathPrefix: /open, methods: [GET], upstream: data }
            vendors:
              - id: acme
                identities: [ { spiffe: "spiffe://lab.example/vendor/acme" } ]
                routes: [dataset-read, annotation-write, open]
                scopes: [datasets:read, annotations:write, annotations:overwrite]
                defaultScopes: [datasets:read]
              - id: globex
                identities: [ { spiffe: "spiffe://lab.example/vendor/globex" } ]
                routes: [dataset-read]
                scopes: [datasets:read]
            operators:
              - { name: oncall, identity: { spiffe: "spiffe://lab.example/ops/oncall" }, role: operator }
            """;

    /**
     * {@link #WITH_ADMIN} with tokens, a route that requires one ({@code /scoped}), a daily
     * byte quota for acme and a very low request rate for globex (a burst of two: a refusal counts
     * against the rate like any request): one request of every kind.
     */
    public static final String OBSERVED = Policies.WITH_ADMIN
            .replace(
                    "\nupstreams:\n",
                    "\ntokens: { issuer: \"https://gateway.test\", audience: lab-data }\nupstreams:\n")
            .replace(
                    "  - { id: dead, pathPrefix: /dead, methods: [GET], upstream: dead }\n",
                    "  - { id: dead, pathPrefix: /dead, methods: [GET], upstream: dead }\n"
                            + "  - { id: scoped, pathPrefix: /scoped, methods: [GET], upstream: data, scopes: [datasets:read] }\n")
            .replace(
                    "routes: [dataset-read, annotation-write, hang, slow, bytes, close, dead]",
                    "routes: [dataset-read, annotation-write, hang, slow, bytes, close, dead, scoped]\n"
                            + "    scopes: [datasets:read]\n    limits: { bytesOutPerDay: 1GiB }")
            .replace(
                    "    routes: [dataset-read]\n",
                    "    routes: [dataset-read]\n" + "    limits: { requestsPerSecond: 0.01, burst: 2 }\n");
}
