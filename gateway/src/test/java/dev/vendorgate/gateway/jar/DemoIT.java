package dev.vendorgate.gateway.jar;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vendorgate.certs.IssuedCertificate;
import dev.vendorgate.certs.Pem;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's first command, as a user runs it: the demo from the built jar, driven over real TLS. */
class DemoIT {

    @TempDir
    Path work;

    @Test
    void demoServesTheTwoVendorsAsPrintedAndStopsOnSigterm() throws Exception {
        Path dir = work.resolve("demo");
        try (JarProcess demo = JarProcess.start(
                work,
                "demo",
                "--dir",
                dir.toString(),
                "--vendor-port",
                "0",
                "--admin-port",
                "0",
                "--metrics-port",
                "0",
                "--upstream-port",
                "0")) {
            String listener = demo.awaitLine(
                    l -> l.contains("vendor listener") && l.contains("https://localhost:"), Duration.ofSeconds(60));
            int port = Integer.parseInt(listener.replaceAll(".*https://localhost:(\\d+).*", "$1"));
            assertThat(demo.output()).contains("curl --cacert " + dir.resolve("certs") + "/ca.pem");
            for (String file : new String[] {
                "ca.pem",
                "server.pem",
                "server.key",
                "acme.pem",
                "acme.key",
                "globex.pem",
                "globex.key",
                "ops.pem",
                "ops.key"
            }) {
                assertThat(dir.resolve("certs").resolve(file)).exists();
            }

            HttpClient acme = client(dir.resolve("certs"), "acme");
            HttpResponse<String> tokenResponse = acme.send(
                    HttpRequest.newBuilder(uri(port, "/oauth2/token"))
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .POST(HttpRequest.BodyPublishers.ofString(
                                    "grant_type=client_credentials&scope=datasets:read%20annotations:write"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(tokenResponse.statusCode()).as(tokenResponse.body()).isEqualTo(200);
            String token = tokenResponse.body().replaceAll(".*\"access_token\":\"([^\"]+)\".*", "$1");
            assertThat(acme.send(get(port, "/datasets/", null), HttpResponse.BodyHandlers.ofString())
                            .statusCode())
                    .as("the demo's routes need a token")
                    .isEqualTo(401);
            HttpResponse<String> list = acme.send(get(port, "/datasets/", token), HttpResponse.BodyHandlers.ofString());
            assertThat(list.statusCode()).isEqualTo(200);
            assertThat(list.body()).contains("\"vendor\":\"acme\"");

            HttpResponse<InputStream> blob =
                    acme.send(get(port, "/datasets/blob/64MiB", token), HttpResponse.BodyHandlers.ofInputStream());
            long received;
            try (InputStream in = blob.body()) {
                received = in.transferTo(java.io.OutputStream.nullOutputStream());
            }
            assertThat(received).isEqualTo(64L << 20);

            HttpResponse<String> upload = acme.send(
                    HttpRequest.newBuilder(uri(port, "/annotations/batch-1"))
                            .header("Authorization", "Bearer " + token)
                            .POST(HttpRequest.BodyPublishers.ofString("{\"label\":\"cat\"}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(upload.statusCode()).isEqualTo(201);
            assertThat(upload.body()).contains("\"bytes\":15");

            HttpClient globex = client(dir.resolve("certs"), "globex");
            HttpResponse<String> refused = globex.send(
                    HttpRequest.newBuilder(uri(port, "/annotations/batch-1"))
                            .header("Authorization", "Bearer " + token)
                            .POST(HttpRequest.BodyPublishers.ofString("x"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).as("globex may only read").isEqualTo(403);
            assertThat(globex.send(get(port, "/datasets/", token), HttpResponse.BodyHandlers.ofString())
                            .statusCode())
                    .as("acme's token is useless with globex's certificate")
                    .isEqualTo(401);
            assertThat(refused.headers().firstValue("content-type")).contains("application/problem+json");

            // the tripwire as the demo prints it: globex fetches its canary, gets an ordinary 404, and is suspended
            assertThat(demo.output()).contains("/datasets/holdout/labels.csv").contains("ctl tripwires globex");
            HttpClient intruder = client(dir.resolve("certs"), "globex"); // a connection of its own, as curl has
            HttpResponse<String> globexToken = intruder.send(
                    HttpRequest.newBuilder(uri(port, "/oauth2/token"))
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .POST(HttpRequest.BodyPublishers.ofString(
                                    "grant_type=client_credentials&scope=datasets:read"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(globexToken.statusCode()).as(globexToken.body()).isEqualTo(200);
            String gtoken = globexToken.body().replaceAll(".*\"access_token\":\"([^\"]+)\".*", "$1");
            assertThat(intruder.send(get(port, "/datasets/", gtoken), HttpResponse.BodyHandlers.ofString())
                            .statusCode())
                    .isEqualTo(200);
            assertThat(intruder.send(
                                    get(port, "/datasets/holdout/labels.csv", gtoken),
                                    HttpResponse.BodyHandlers.ofString())
                            .statusCode())
                    .as("the canary looks missing")
                    .isEqualTo(404);
            // that connection closed after the answer: a new one finds globex suspended
            assertThat(client(dir.resolve("certs"), "globex")
                            .send(get(port, "/datasets/", gtoken), HttpResponse.BodyHandlers.ofString())
                            .statusCode())
                    .as("globex is suspended")
                    .isEqualTo(403);
            assertThat(acme.send(get(port, "/datasets/", token), HttpResponse.BodyHandlers.ofString())
                            .statusCode())
                    .as("acme keeps working")
                    .isEqualTo(200);

            demo.terminate();
            assertThat(demo.waitFor(Duration.ofSeconds(20))).isZero();
            assertThat(demo.output()).contains("gateway stopped");
        }

        // a second run reuses the certificates and the policy
        String before = Files.readString(dir.resolve("certs/ca.pem"));
        try (JarProcess again = JarProcess.start(
                work,
                "demo",
                "--dir",
                dir.toString(),
                "--vendor-port",
                "0",
                "--admin-port",
                "0",
                "--metrics-port",
                "0",
                "--upstream-port",
                "0")) {
            again.awaitLine(l -> l.contains("vendor listener"), Duration.ofSeconds(60));
            assertThat(again.output()).contains("reusing development PKI").contains("reusing policy");
            assertThat(Files.readString(dir.resolve("certs/ca.pem"))).isEqualTo(before);
        }
    }

    static URI uri(int port, String path) {
        return URI.create("https://localhost:" + port + path);
    }

    static HttpRequest get(int port, String path, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(port, path))
                .timeout(Duration.ofSeconds(60))
                .GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return request.build();
    }

    static HttpClient client(Path certs, String name) throws Exception {
        IssuedCertificate identity = new IssuedCertificate(
                Pem.readCertificates(certs.resolve(name + ".pem")).get(0),
                Pem.readPrivateKey(certs.resolve(name + ".key")),
                Pem.readCertificates(certs.resolve(name + ".pem")));
        char[] password = "p".toCharArray();
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(identity.toKeyStore(password), password);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry(
                "ca", Pem.readCertificates(certs.resolve("ca.pem")).get(0));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(context).build();
    }
}
