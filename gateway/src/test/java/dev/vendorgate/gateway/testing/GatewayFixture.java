package dev.vendorgate.gateway.testing;

import dev.vendorgate.certs.IssuedCertificate;
import dev.vendorgate.gateway.Gateway;
import dev.vendorgate.gateway.GatewayOptions;
import dev.vendorgate.policy.Policy;
import dev.vendorgate.policy.PolicyException;
import dev.vendorgate.policy.load.PolicyLoader;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The whole gateway in-process on a free port, with real TLS (certificates generated at test
 * time), a real upstream server and a policy written inline in YAML, the way a user writes one.
 * Placeholders in the policy: {@code ${UPSTREAM_PORT}}, {@code ${DEAD_PORT}} (a port nothing
 * listens on).
 */
public final class GatewayFixture implements AutoCloseable {

    private final TestPki pki;
    private final TestUpstream upstream;
    private final Gateway gateway;

    private GatewayFixture(TestPki pki, TestUpstream upstream, Gateway gateway) {
        this.pki = pki;
        this.upstream = upstream;
        this.gateway = gateway;
    }

    public static GatewayFixture start(Path dir, String policyYaml) {
        return start(TestPki.create(dir), policyYaml, Map.of(), GatewayOptions.DEFAULTS.withShutdownGrace(Duration.ofSeconds(2)));
    }

    public static GatewayFixture start(TestPki pki, String policyYaml, Map<String, String> extra, GatewayOptions options) {
        TestUpstream upstream = new TestUpstream();
        try {
            String text = policyYaml.replace("${UPSTREAM_PORT}", Integer.toString(upstream.port()))
                    .replace("${DEAD_PORT}", Integer.toString(deadPort()));
            for (Map.Entry<String, String> e : extra.entrySet()) {
                text = text.replace("${" + e.getKey() + "}", e.getValue());
            }
            Policy policy = PolicyLoader.parse(text, "test-policy.yaml", pki.dir(), true);
            return new GatewayFixture(pki, upstream, Gateway.start(policy, options));
        } catch (PolicyException e) {
            upstream.close();
            throw new IllegalArgumentException(e.getMessage(), e);
        } catch (Exception e) {
            upstream.close();
            throw new IllegalStateException(e);
        }
    }

    /** A loopback port that was free a moment ago, for an upstream that refuses connections. */
    public static int deadPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public TestPki pki() {
        return pki;
    }

    public TestUpstream upstream() {
        return upstream;
    }

    public Gateway gateway() {
        return gateway;
    }

    public int port() {
        return gateway.vendorAddress().getPort();
    }

    public URI uri(String path) {
        return URI.create("https://localhost:" + port() + path);
    }

    /** An HTTP client presenting {@code certificate} (null: none). */
    public HttpClient client(IssuedCertificate certificate, HttpClient.Version version) {
        return HttpClient.newBuilder()
                .version(version)
                .sslContext(pki.clientContext(certificate))
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    public HttpResponse<String> get(HttpClient client, String path) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(20)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        try {
            gateway.close();
        } finally {
            upstream.close();
        }
    }
}
