package dev.vendorgate.gateway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vendorgate.gateway.tls.ServerKeys;
import dev.vendorgate.gateway.tls.TlsFiles;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** An HTTPS client for the admin API, authenticated with an operator certificate. */
final class AdminClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A response: the status, the JSON body (a problem on errors), and the body as text. */
    record Reply(int status, JsonNode body, String text) {
        Reply(int status, JsonNode body) {
            this(status, body, body.toString());
        }

        boolean ok() {
            return status / 100 == 2;
        }
    }

    /** The admin API could not be reached (connection, TLS); exit code 3. The message is in plain words. */
    static final class Unreachable extends Exception {
        Unreachable(String message) {
            super(message);
        }
    }

    /** The options do not say how to reach the API (no certificate, a file not there, a bad URL); exit code 2. */
    static final class Misconfigured extends Exception {
        Misconfigured(String message) {
            super(message);
        }
    }

    private final URI base;
    private final HttpClient client;
    private final Path cert;
    private final Path cacert;

    private AdminClient(URI base, HttpClient client, Path cert, Path cacert) {
        this.base = base;
        this.client = client;
        this.cert = cert;
        this.cacert = cacert;
    }

    static AdminClient connect(String admin, Path cert, Path key, Path cacert) throws Misconfigured {
        if (cert == null || key == null || cacert == null) {
            throw new Misconfigured(
                    "an operator certificate is needed: --cert, --key and --cacert (or VENDORGATE_CERT, "
                            + "VENDORGATE_KEY and VENDORGATE_CACERT)");
        }
        String[] options = {"--cert", "--key", "--cacert"};
        Path[] files = {cert, key, cacert};
        for (int i = 0; i < files.length; i++) {
            if (!Files.isRegularFile(files[i]) || !Files.isReadable(files[i])) {
                throw new Misconfigured(options[i] + " " + files[i] + ": cannot read the file"
                        + (Files.exists(files[i]) ? "" : ": no such file"));
            }
        }
        URI base;
        try {
            base = URI.create(admin.endsWith("/") ? admin.substring(0, admin.length() - 1) : admin);
            if (!"https".equals(base.getScheme()) || base.getHost() == null) {
                throw new IllegalArgumentException();
            }
        } catch (IllegalArgumentException e) {
            throw new Misconfigured("--admin must be an https:// URL, for example https://127.0.0.1:9443");
        }
        java.util.List<java.security.cert.X509Certificate> chain;
        java.security.PrivateKey privateKey;
        try {
            chain = TlsFiles.certificates(cert);
            privateKey = ServerKeys.matching(key, cert, chain); // a mismatched pair is named here, not as a TLS failure
        } catch (TlsFiles.TlsMaterialException e) {
            throw new Misconfigured("cannot use the operator certificate: " + e.getMessage());
        }
        try {
            JdkSslContext tls = (JdkSslContext) SslContextBuilder.forClient()
                    .sslProvider(SslProvider.JDK)
                    .keyManager(privateKey, chain)
                    .trustManager(cacert.toFile())
                    .protocols("TLSv1.3", "TLSv1.2")
                    .build();
            HttpClient client = HttpClient.newBuilder()
                    .sslContext(tls.context())
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(10))
                    .build();
            return new AdminClient(base, client, cert, cacert);
        } catch (IOException | IllegalArgumentException e) {
            throw new Misconfigured(
                    "cannot use the operator certificate " + cert + " with key " + key + ": " + e.getMessage());
        }
    }

    Reply get(String path) throws Unreachable {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET());
    }

    Reply post(String path, JsonNode body) throws Unreachable {
        // both mark the call as not cross-site: the admin API refuses a change that has neither
        return send(HttpRequest.newBuilder(base.resolve(path))
                .header("Content-Type", "application/json")
                .header("X-Vendorgate-Request", "1")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
    }

    private Reply send(HttpRequest.Builder request) throws Unreachable {
        try {
            HttpResponse<String> response =
                    client.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
            JsonNode body;
            try {
                body = response.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(response.body());
            } catch (IOException e) {
                body = JSON.createObjectNode().put("detail", response.body());
            }
            return new Reply(response.statusCode(), body, response.body());
        } catch (IOException e) {
            throw new Unreachable(AdminFailure.describe(e, base, cert, cacert));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unreachable("interrupted");
        }
    }

    static ObjectMapper json() {
        return JSON;
    }
}
