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
    private final Path policyFile;
    private final GatewayOptions options;
    private Gateway gateway;

    private GatewayFixture(
            TestPki pki, TestUpstream upstream, Path policyFile, GatewayOptions options, Gateway gateway) {
        this.pki = pki;
        this.upstream = upstream;
        this.policyFile = policyFile;
        this.options = options;
        this.gateway = gateway;
    }

    public static GatewayFixture start(Path dir, String policyYaml) {
        return start(
                TestPki.create(dir),
                policyYaml,
                Map.of(),
                GatewayOptions.DEFAULTS.withShutdownGrace(Duration.ofSeconds(2)));
    }

    public static GatewayFixture start(
            TestPki pki, String policyYaml, Map<String, String> extra, GatewayOptions options) {
        TestUpstream upstream = new TestUpstream();
        try {
            String text = policyYaml
                    .replace("${UPSTREAM_PORT}", Integer.toString(upstream.port()))
                    .replace("${DEAD_PORT}", Integer.toString(deadPort()));
            for (Map.Entry<String, String> e : extra.entrySet()) {
                text = text.replace("${" + e.getKey() + "}", e.getValue());
            }
            Path file = pki.dir().resolve("gateway.yaml");
            java.nio.file.Files.writeString(file, text);
            Policy policy = PolicyLoader.load(file);
            return new GatewayFixture(pki, upstream, file, options, Gateway.start(policy, options));
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

    /** The policy file the gateway was started with (edit it and reload to change the policy). */
    public Path policyFile() {
        return policyFile;
    }

    /** Stops the gateway and starts a new one on the same folder, policy file, state and audit trail. */
    public void restart() throws Exception {
        gateway.close();
        gateway = Gateway.start(PolicyLoader.load(policyFile), options);
    }

    public int adminPort() {
        return gateway.adminAddress().getPort();
    }

    /** An HTTPS client for the admin API presenting {@code operator}. */
    public HttpClient adminClient(IssuedCertificate operator) {
        return client(operator, HttpClient.Version.HTTP_1_1);
    }

    /** Calls the admin API. */
    public HttpResponse<String> admin(IssuedCertificate operator, String method, String path, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("https://localhost:" + adminPort() + path))
                .timeout(Duration.ofSeconds(30));
        request = body == null
                ? request.method(method, HttpRequest.BodyPublishers.noBody())
                : request.method(method, HttpRequest.BodyPublishers.ofString(body))
                        .header("Content-Type", "application/json");
        return adminClient(operator).send(request.build(), HttpResponse.BodyHandlers.ofString());
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
        return client.send(
                HttpRequest.newBuilder(uri(path))
                        .timeout(Duration.ofSeconds(20))
                        .GET()
                        .build(),
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
