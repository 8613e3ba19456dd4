package dev.vendorgate.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vendorgate.gateway.GatewayOptions;
import dev.vendorgate.gateway.testing.GatewayFixture;
import dev.vendorgate.gateway.testing.Policies;
import dev.vendorgate.gateway.testing.TestPki;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gateway ctl tripwires [V]}, and a trip as {@code ctl vendors} and {@code ctl status} show it. */
class CtlTripwiresTest {

    @TempDir
    Path dir;

    GatewayFixture fixture;

    @AfterEach
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private record Result(int code, String out, String err) {}

    private Result ctl(String... args) {
        List<String> all = new ArrayList<>(List.of(
                "ctl",
                "--admin",
                "https://localhost:" + fixture.adminPort(),
                "--cert",
                dir.resolve("auditor.pem").toString(),
                "--key",
                dir.resolve("auditor.key").toString(),
                "--cacert",
                dir.resolve("ca.pem").toString()));
        all.addAll(List.of(args));
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            return new Result(
                    GatewayCommand.execute(all.toArray(new String[0])),
                    o.toString(StandardCharsets.UTF_8),
                    e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @Test
    void showsBaselinesRulesAndTrips() throws Exception {
        TestPki pki = TestPki.create(dir);
        pki.write(pki.pki().operator("auditor"), "auditor");
        String policy = Policies.WITH_ADMIN.replace(
                        "    routes: [dataset-read]\n",
                        "    routes: [dataset-read]\n    canaries: [/datasets/holdout/]\n")
                + """
                tripwires:
                  rules:
                    - { id: bulk, kind: bytesOut, factor: 10, floor: 1GiB, action: suspend }
                """;
        fixture = GatewayFixture.start(
                pki, policy, Map.of(), GatewayOptions.DEFAULTS.withShutdownGrace(Duration.ofSeconds(1)));
        HttpClient globex = fixture.client(pki.vendor("globex", "etl"), HttpClient.Version.HTTP_1_1);
        assertThat(fixture.get(globex, "/datasets/x").statusCode()).isEqualTo(200);

        Result all = ctl("tripwires");
        assertThat(all.code()).as(all.err()).isZero();
        assertThat(all.out())
                .contains("canaries: suspend, answered not-found; webhook none")
                .contains("acme  (0 canaries")
                .contains("globex  (1 canaries")
                .contains("rule bulk")
                .contains("learning");

        assertThat(fixture.get(globex, "/datasets/HoldOut/labels.csv").statusCode())
                .isEqualTo(404);

        Result one = ctl("tripwires", "globex");
        assertThat(one.code()).isZero();
        assertThat(one.out()).doesNotContain("acme").contains("TRIPPED").contains("by canary (suspend, suspended");
        assertThat(ctl("vendors").out()).contains("by tripwire:canary").contains("tripwire canary tripped at");
        assertThat(ctl("status").out()).contains("tripwire       globex: canary at");
        Result unknown = ctl("tripwires", "initech");
        assertThat(unknown.code()).isEqualTo(1);
        assertThat(unknown.err()).contains("No vendor 'initech'");
    }
}
