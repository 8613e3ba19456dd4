package dev.vendorgate.gateway.cli;

import java.nio.file.Path;

/** The copy-paste commands the demo prints once it is running. */
final class DemoGuide {

    private DemoGuide() {}

    static String text(Path dir, int vendorPort, int adminPort, int metricsPort, int upstreamPort) {
        String certs = dir.resolve("certs").toString();
        String gateway = "java -jar " + jar();
        String base = "https://localhost:" + vendorPort;
        String acme = "curl --cacert " + certs + "/ca.pem --cert " + certs + "/acme.pem --key " + certs + "/acme.key";
        String globex =
                "curl --cacert " + certs + "/ca.pem --cert " + certs + "/globex.pem --key " + certs + "/globex.key";
        return String.join(
                System.lineSeparator(),
                "",
                "The gateway demo is running.",
                "  vendor listener    " + base + "   (mutual TLS: a vendor certificate is required)",
                "  admin listener     https://127.0.0.1:" + adminPort + "   (mutual TLS: operators only)",
                "  metrics listener   http://127.0.0.1:" + metricsPort
                        + "    (/metrics, /healthz, /readyz; keep it private)",
                "  demo data service  http://127.0.0.1:" + upstreamPort
                        + "   (plain HTTP, reached only through the gateway)",
                "  vendors            acme (read datasets, write annotations), globex (read datasets only)",
                "",
                "Try, from another terminal:",
                "",
                "  ACME=\"" + acme + "\"",
                "  GLOBEX=\"" + globex + "\"",
                "",
                "  # acme gets a token with its certificate: short-lived, and useless without acme's private key",
                "  TOKEN=$($ACME -s -d grant_type=client_credentials -d 'scope=datasets:read annotations:write' \\",
                "          " + base + "/oauth2/token | sed -E 's/.*\"access_token\":\"([^\"]+)\".*/\\1/')",
                "",
                "  # acme lists the datasets; the data service sees the vendor the gateway verified",
                "  $ACME -H \"Authorization: Bearer $TOKEN\" " + base + "/datasets/",
                "",
                "  # acme downloads 1 GiB; it streams through the gateway with flat memory",
                "  $ACME -H \"Authorization: Bearer $TOKEN\" -o /dev/null -w '%{size_download} bytes in %{time_total}s\\n' "
                        + base + "/datasets/blob/1GiB",
                "",
                "  # acme uploads an annotation",
                "  $ACME -H \"Authorization: Bearer $TOKEN\" -X POST --data-binary '{\"id\":1,\"label\":\"cat\"}' "
                        + base + "/annotations/batch-1",
                "",
                "  # the same token with globex's certificate is refused: it is bound to acme's (401)",
                "  $GLOBEX -H \"Authorization: Bearer $TOKEN\" " + base + "/datasets/",
                "",
                "  # globex may only read: asking for annotations:write is refused (invalid_scope)",
                "  $GLOBEX -d grant_type=client_credentials -d scope=annotations:write " + base + "/oauth2/token",
                "",
                "  # a path no route covers: 404, over HTTP/2",
                "  $ACME --http2 " + base + "/models/",
                "",
                "  # no client certificate: the TLS handshake itself is refused",
                "  curl --cacert " + certs + "/ca.pem " + base + "/datasets/",
                "",
                "Operate it (the ops certificate is an admin):",
                "",
                "  export VENDORGATE_ADMIN=https://127.0.0.1:" + adminPort + " VENDORGATE_CACERT=" + certs
                        + "/ca.pem \\",
                "         VENDORGATE_CERT=" + certs + "/ops.pem VENDORGATE_KEY=" + certs + "/ops.key",
                "  " + gateway + " ctl vendors",
                "",
                "  # start the 1 GiB download above with --limit-rate 20M, then suspend acme: the download is cut,",
                "  # every acme request is refused from now on, acme's tokens are dead for good, globex is",
                "  # unaffected, and the suspension survives a restart",
                "  " + gateway + " ctl suspend acme --reason \"suspected credential leak\"",
                "  " + gateway + " ctl resume acme --reason \"keys rotated\"",
                "",
                "  # a breach: acme's keys were stolen. Suspend it and cut off every certificate and token issued",
                "  # before the compromise, for good (also after a resume)",
                "  " + gateway + " ctl suspend acme --breach --compromised-since 1h --reason \"INC-1: stolen keys\"",
                "",
                "  # the signed inventory of what acme got and sent since then, and its check against the trail",
                "  " + gateway + " audit exposure --vendor acme --from 1h --dir " + dir.resolve("audit") + " \\",
                "      --signing-key " + dir.resolve("audit-key").resolve("audit-signing.key") + " --format json --out "
                        + dir.resolve("acme-exposure.json"),
                "  " + gateway + " audit verify-manifest " + dir.resolve("acme-exposure.json") + " --dir "
                        + dir.resolve("audit"),
                "",
                "  # acme gets a new certificate (issued after the cut-off), then comes back on probation: read-only,",
                "  # reduced limits, every request marked in the trail; a second operator ends the probation",
                "  java -jar certs-dev/target/certs-dev.jar vendor --dir " + certs
                        + " --vendor acme --out acme-new --not-before now",
                "  " + gateway + " ctl resume acme --reason \"INC-1: new certificates issued\"",
                "  # ending it takes a second operator: add one under operators: in " + dir.resolve("gateway.yaml")
                        + ", issue its certificate",
                "  # (certs-dev operator --dir " + certs + " --name alice), point VENDORGATE_CERT/KEY at it, then",
                "  " + gateway + " ctl end-probation acme --reason \"INC-1: clean for 14 days\"",
                "",
                "The ops console, a web page on the admin listener: https://localhost:" + adminPort + "/",
                "  # the browser presents the ops certificate and must trust the demo CA (docs/console.md):",
                "  openssl pkcs12 -export -in " + certs + "/ops.pem -inkey " + certs + "/ops.key -out " + certs
                        + "/ops.p12 -passout pass:demo",
                "  # Chromium on Linux: import both into its NSS store, then open the address above",
                "  pk12util -d sql:$HOME/.pki/nssdb -i " + certs + "/ops.p12 -W demo",
                "  certutil -A -d sql:$HOME/.pki/nssdb -n vendorgate-demo-ca -t C,, -i " + certs + "/ca.pem",
                "  # Firefox: Settings > Privacy & Security > Certificates > View Certificates: Your Certificates >",
                "  # Import ops.p12 (password demo), Authorities > Import ca.pem (trust to identify websites)",
                "",
                "  # tripwires: globex fetches its canary (a decoy no real task names) and gets an ordinary 404,",
                "  # yet globex is now suspended as after a breach (operator tripwire:canary), its other connections cut",
                "  GTOKEN=$($GLOBEX -s -d grant_type=client_credentials -d scope=datasets:read " + base
                        + "/oauth2/token | sed -E 's/.*\"access_token\":\"([^\"]+)\".*/\\1/')",
                "  $GLOBEX -H \"Authorization: Bearer $GTOKEN\" " + base + "/datasets/holdout/labels.csv",
                "  " + gateway + " ctl tripwires globex",
                "  " + gateway + " ctl vendors",
                "  # a download past the bulk-download rule (5 GiB in an hour) suspends acme within seconds of its end",
                "  $ACME -H \"Authorization: Bearer $TOKEN\" -o /dev/null " + base + "/datasets/blob/6GiB",
                "  # only a human resumes (on probation; certificates from before the trip stay refused: breach cut-off)",
                "  " + gateway + " ctl resume globex --reason \"the canary fetch was our test\"",
                "",
                "  # what acme accessed, from the tamper-evident audit trail; and proof it is intact",
                "  " + gateway + " audit report --vendor acme --dir " + dir.resolve("audit"),
                "  " + gateway + " audit verify " + dir.resolve("audit"),
                "",
                "  # health and readiness for load balancers; Prometheus metrics by vendor, route and refusal reason",
                "  curl http://127.0.0.1:" + metricsPort + "/readyz",
                "  curl -s http://127.0.0.1:" + metricsPort
                        + "/metrics | grep -E '^vendorgate_(requests|refusals|bytes)_total'",
                "",
                "Stop with Ctrl-C.",
                "");
    }

    /** How to run this very jar, for the printed commands. */
    private static String jar() {
        try {
            Path path = Path.of(DemoGuide.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
            Path here = Path.of("").toAbsolutePath();
            return path.toString().endsWith(".jar") && path.startsWith(here)
                    ? here.relativize(path).toString()
                    : path.toString().endsWith(".jar") ? path.toString() : "gateway/target/gateway.jar";
        } catch (Exception e) {
            return "gateway/target/gateway.jar";
        }
    }
}
