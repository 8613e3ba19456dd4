package dev.vendorgate.load.bench;

import dev.vendorgate.policy.Policy;
import dev.vendorgate.policy.load.PolicyLoader;
import java.nio.file.Path;

/** A policy of realistic size for the benchmarks: 20 vendors, 10 routes each, tokens and limits. */
final class BenchPolicy {

    static final int VENDORS = 20;
    static final int ROUTES = 10;

    private BenchPolicy() {}

    static Policy load(Path keys) throws Exception {
        StringBuilder yaml = new StringBuilder("""
                version: 1
                listeners:
                  vendor:
                    bind: "127.0.0.1:0"
                    tls: { cert: server.pem, key: server.key, clientCa: [ca.pem] }
                tokens:
                  issuer: "https://gateway.bench"
                  audience: lab-data
                  signingKeys: "%s"
                upstreams:
                  data: { url: "http://127.0.0.1:8080" }
                routes:
                """.formatted(keys.toString().replace("\\", "/")));
        for (int r = 0; r < ROUTES; r++) {
            yaml.append("  - { id: r")
                    .append(r)
                    .append(", pathPrefix: /datasets/r")
                    .append(r)
                    .append(", methods: [GET, HEAD, PUT], upstream: data, scopes: [datasets:read] }\n");
        }
        yaml.append("vendors:\n");
        for (int v = 0; v < VENDORS; v++) {
            yaml.append("  - id: v")
                    .append(v)
                    .append('\n')
                    .append("    identities: [ { spiffe: \"spiffe://lab.example/vendor/v")
                    .append(v)
                    .append("\" } ]\n")
                    .append("    routes: [");
            for (int r = 0; r < ROUTES; r++) {
                yaml.append(r == 0 ? "" : ", ").append('r').append(r);
            }
            yaml.append("]\n    scopes: [datasets:read]\n")
                    .append("    limits: { requestsPerSecond: 1000000000, burst: 1000000, maxConcurrent: 1000000, "
                            + "bytesOutPerDay: 1000TiB }\n");
        }
        return PolicyLoader.parse(yaml.toString(), "bench.yaml", Path.of("."), false);
    }
}
