package dev.vendorgate.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.vendorgate.certs.IssuedCertificate;
import dev.vendorgate.gateway.GatewayOptions;
import dev.vendorgate.gateway.testing.GatewayFixture;
import dev.vendorgate.gateway.testing.HeadlessChromium;
import dev.vendorgate.gateway.testing.RawHttpsClient;
import dev.vendorgate.gateway.testing.TestPki;
import dev.vendorgate.gateway.testing.TrailRecords;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The ops console in real headless Chromium, the operator's certificate presented from the
 * browser's NSS store: live figures in the vendors table, suspending acme from the page closes
 * its open download, a viewer has no enabled action, a cross-site form post does nothing, and the
 * page says so when the gateway cannot be reached.
 * Runs wherever Debian's chromium, chromium-driver and libnss3-tools are installed (the CI
 * installs them), and is skipped, saying why, where they are not.
 */
@Tag("browser")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    static Path dir;

    static GatewayFixture fixture;
    static String console;
    static HeadlessChromium operator;

    @BeforeAll
    static void start() {
        String missing = HeadlessChromium.missing();
        Assumptions.assumeTrue(missing == null, () -> "console browser tests skipped: " + missing);
        // an unread download stays open (the upstream's idle timeout is long) until the suspension cuts it
        fixture = GatewayFixture.start(
                TestPki.create(dir.resolve("gateway")),
                IssuedTokensApiTest.WITH_TOKENS.replace("idle: 5s", "idle: 5m"),
                Map.of(),
                GatewayOptions.DEFAULTS.withShutdownGrace(Duration.ofSeconds(1)));
        console = "https://localhost:" + fixture.adminPort();
        HeadlessChromium.autoSelectCertificateFor(console);
        operator = browser("oncall");
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            if (operator != null) {
                operator.close();
            }
            HeadlessChromium.removePolicy();
            fixture.close();
        }
    }

    private static final java.util.concurrent.atomic.AtomicInteger BROWSERS =
            new java.util.concurrent.atomic.AtomicInteger();

    private static HeadlessChromium browser(String operator) {
        return HeadlessChromium.start(
                dir.resolve("home-" + operator + "-" + BROWSERS.incrementAndGet()),
                fixture.pki().pki().operator(operator),
                fixture.pki().pki().ca().certificate());
    }

    private static String status(String vendor) throws Exception {
        IssuedCertificate auditor = fixture.pki().pki().operator("auditor");
        return JSON.readTree(fixture.admin(auditor, "GET", "/admin/vendors/" + vendor, null)
                        .body())
                .path("status")
                .asText();
    }

    /** Waits for {@code condition}; on a timeout, keeps a screenshot and says what the page showed. */
    private static void waitFor(
            HeadlessChromium chromium,
            String name,
            java.util.function.Function<org.openqa.selenium.WebDriver, Boolean> condition) {
        try {
            // the page re-renders its figures every few seconds: an element read a moment ago may be replaced
            new WebDriverWait(chromium.driver(), WAIT)
                    .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                    .until(condition);
        } catch (org.openqa.selenium.TimeoutException e) {
            chromium.screenshot("failed-" + name);
            throw new AssertionError(
                    "waited " + WAIT.toSeconds() + "s for " + name + "; the page shows: "
                            + chromium.driver().findElement(By.tagName("body")).getText(),
                    e);
        }
    }

    /** A cell's text, read in one step: the page replaces the table on every poll. */
    private static String cell(ChromeDriver driver, String vendor, String column) {
        Object text = driver.executeScript(
                "const c = document.querySelector(arguments[0]); return c ? c.innerText : null;",
                "#vendors tr[data-vendor='" + vendor + "'] td." + column);
        return text == null ? "" : text.toString();
    }

    /** Reads what the gateway had already sent; true if the stream then ends (closed or reset) before the deadline. */
    private static boolean endsWithin(RawHttpsClient download, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        byte[] buffer = new byte[64 * 1024];
        try {
            while (System.nanoTime() < deadline) {
                if (download.input().read(buffer) < 0) {
                    return true;
                }
            }
            return false;
        } catch (java.io.IOException e) {
            return true;
        }
    }

    /** Clicks the element with {@code id}, again if a poll replaced it between finding and clicking. */
    private static void click(HeadlessChromium chromium, String id) {
        waitFor(chromium, "click-" + id, d -> {
            try {
                d.findElement(By.id(id)).click();
                return true;
            } catch (org.openqa.selenium.StaleElementReferenceException
                    | org.openqa.selenium.NoSuchElementException e) {
                return false;
            }
        });
    }

    @Test
    @Order(1)
    void anOperatorSeesLiveFiguresAndSuspendingAcmeClosesItsOpenDownload() throws Exception {
        HeadlessChromium chromium = operator;
        ChromeDriver driver = chromium.driver();
        WebDriverWait wait = new WebDriverWait(driver, WAIT);
        driver.get(console + "/");
        waitFor(chromium, "vendors-table", d -> cell(driver, "acme", "status").contains("active"));
        IssuedCertificate downloader = fixture.pki().vendor("acme", "worker-2");
        IssuedCertificate worker = fixture.pki().vendor("acme", "worker-1");
        Instant before = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        try (RawHttpsClient download = new RawHttpsClient(fixture.pki().clientContext(downloader), fixture.port())) {
            download.send("GET /bytes/10000000000 HTTP/1.1\r\nHost: localhost\r\n\r\n");
            assertThat(download.readHead().status()).isEqualTo(200);
            HttpClient acme = fixture.client(worker, HttpClient.Version.HTTP_1_1);
            for (int i = 0; i < 10; i++) {
                assertThat(fixture.get(acme, "/bytes/2000").statusCode()).isEqualTo(200);
            }
            HttpResponse<String> minted = acme.send(
                    HttpRequest.newBuilder(fixture.uri("/oauth2/token"))
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(minted.statusCode()).as(minted.body()).isEqualTo(200);
            String jti = JSON.readTree(new String(
                            java.util.Base64.getUrlDecoder()
                                    .decode(JSON.readTree(minted.body())
                                            .path("access_token")
                                            .asText()
                                            .split("\\.")[1]),
                            StandardCharsets.UTF_8))
                    .path("jti")
                    .asText();

            // live: the open download is one stream, the requests just made a rate above zero
            waitFor(
                    chromium,
                    "streams",
                    d -> cell(driver, "acme", "connections").endsWith("/ 1"));
            waitFor(chromium, "rate", d -> !cell(driver, "acme", "rate").equals("0.00"));
            assertThat(cell(driver, "globex", "status")).contains("active");
            assertThat(cell(driver, "acme", "last-seen")).endsWith("ago");
            waitFor(
                    chromium,
                    "operator-signed-in",
                    d -> d.findElement(By.id("who")).getText().equals("oncall (operator)"));
            waitFor(
                    chromium,
                    "live",
                    d -> d.findElement(By.id("connection")).getText().startsWith("live"));
            chromium.screenshot("vendors");

            click(chromium, "suspend-acme");
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("dialog-reason")))
                    .sendKeys("incident 4711: unexpected bulk download");
            new Select(driver.findElement(By.id("dialog-mode"))).selectByValue("sever");
            chromium.screenshot("suspend-dialog");
            click(chromium, "dialog-confirm");

            WebElement result = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("result")));
            assertThat(result.getText())
                    .contains("acme is suspended (sever): closed ")
                    .contains("connection(s) and 1 request(s)");
            assertThat(endsWithin(download, WAIT))
                    .as("the open download was cut")
                    .isTrue();
            waitFor(
                    chromium,
                    "acme-suspended",
                    d -> cell(driver, "acme", "status").contains("suspended"));
            assertThat(cell(driver, "acme", "status")).contains("incident 4711").contains("oncall");
            assertThat(driver.executeScript("return !document.getElementById('resume-acme').disabled"))
                    .isEqualTo(true);
            assertThat(status("acme")).isEqualTo("suspended");
            chromium.screenshot("acme-suspended");

            driver.get(console + "/#/vendor/acme");
            waitFor(
                    chromium,
                    "charts",
                    d -> d.findElements(By.cssSelector("figure.chart svg polyline"))
                                    .size()
                            >= 3);
            waitFor(
                    chromium,
                    "vendor-title",
                    d -> d.findElement(By.tagName("h2")).getText().startsWith("acme"));

            // its clients: both certificates that connected, by fingerprint, first seen during this test
            waitFor(
                    chromium,
                    "clients",
                    d -> d.findElements(By.cssSelector("#clients tbody tr")).size() == 2);
            for (IssuedCertificate client : List.of(worker, downloader)) {
                String row = "#clients tr[data-sha256='" + client.sha256Fingerprint() + "']";
                Object fingerprint = driver.executeScript(
                        "const r = document.querySelector(arguments[0]);"
                                + " return r ? r.querySelector('td.fingerprint').innerText : null;",
                        row);
                assertThat(fingerprint).isEqualTo(client.sha256Fingerprint());
                String firstSeen = String.valueOf(driver.executeScript(
                        "return document.querySelector(arguments[0])" + ".querySelector('td.first-seen').innerText;",
                        row));
                assertThat(Instant.parse(firstSeen.replace(' ', 'T')))
                        .isAfterOrEqualTo(before)
                        .isBeforeOrEqualTo(Instant.now());
            }
            assertThat(String.valueOf(driver.executeScript(
                            "return document.querySelector(arguments[0]).innerText;",
                            "#clients tr[data-sha256='" + worker.sha256Fingerprint() + "'] td.client-id")))
                    .isEqualTo("spiffe://lab.example/vendor/acme/worker-1");
            // its tokens: the one minted above, revoked by the suspension (tokens issued before it are dead)
            waitFor(
                    chromium,
                    "tokens",
                    d -> String.valueOf(((ChromeDriver) d)
                                    .executeScript(
                                            "const r = document.querySelector(arguments[0]); return r ? r.innerText : '';",
                                            "#tokens tr[data-jti='" + jti + "'] td.token-status"))
                            .equals("revoked"));
            chromium.screenshot("vendor-acme");
            driver.executeScript("document.getElementById('clients').scrollIntoView()");
            chromium.screenshot("vendor-acme-clients");

            // the fleet: one gateway on its own journal shows itself, with a heartbeat
            driver.get(console + "/#/policy");
            waitFor(
                    chromium,
                    "fleet",
                    d -> d.findElements(By.cssSelector("#fleet-nodes tbody tr")).size() == 1);
            assertThat(String.valueOf(driver.executeScript(
                            "return document.querySelector('#fleet-nodes tbody tr')" + ".innerText;")))
                    .contains("this node")
                    .contains("ago");
            driver.executeScript("document.getElementById('fleet').scrollIntoView()");
            chromium.screenshot("policy-fleet");
        }
    }

    @Test
    @Order(2)
    void aViewerHasNoEnabledActionAndTheApiRefusesItAnyway() throws Exception {
        try (HeadlessChromium chromium = browser("auditor")) {
            ChromeDriver driver = chromium.driver();
            driver.get(console + "/");
            waitFor(
                    chromium,
                    "viewer-signed-in",
                    d -> d.findElement(By.id("who")).getText().equals("auditor (viewer)"));
            waitFor(
                    chromium,
                    "viewer-table",
                    d -> !cell(driver, "globex", "status").isEmpty());

            Object enabled = driver.executeScript(
                    "const b = [...document.querySelectorAll('#vendors-view button')];"
                            + " return b.length + ' buttons, enabled: ' + b.filter(x => !x.disabled).map(x => x.id).join(',');");
            assertThat(enabled).isEqualTo("3 buttons, enabled: ");
            chromium.screenshot("viewer");

            Object answer = driver.executeAsyncScript("const done = arguments[arguments.length - 1];"
                    + "fetch('/admin/vendors/globex/suspend', {method: 'POST', headers: {'Content-Type': 'application/json',"
                    + " 'X-Vendorgate-Request': '1'}, body: JSON.stringify({reason: 'viewer tries'})})"
                    + ".then(r => r.text().then(t => done(r.status + ' ' + t)), e => done('failed ' + e));");
            assertThat(String.valueOf(answer)).startsWith("403").contains("insufficient-role");
            assertThat(status("globex")).isEqualTo("active");

            // nor on a vendor's page (clients, tokens) or the policy page: only the chart windows may be chosen
            driver.get(console + "/#/vendor/acme");
            waitFor(
                    chromium,
                    "viewer-vendor",
                    d -> !d.findElements(By.cssSelector("#clients tbody tr")).isEmpty());
            Object onVendor = driver.executeScript("const b = [...document.querySelectorAll('#vendor-view button')];"
                    + " return b.filter(x => !x.disabled).map(x => x.id).join(',');");
            assertThat(onVendor).isEqualTo("window-hour,window-day");
            assertThat(driver.findElements(By.cssSelector("#vendor-view button"))
                            .size())
                    .isGreaterThan(4);
            driver.get(console + "/#/policy");
            waitFor(
                    chromium,
                    "viewer-policy",
                    d -> !d.findElements(By.cssSelector("#fleet-nodes tbody tr"))
                            .isEmpty());
            assertThat(driver.executeScript("return document.getElementById('reload').disabled"))
                    .isEqualTo(true);
        }
    }

    @Test
    @Order(3)
    void aCrossSiteFormPostFromAnotherSiteSuspendsNobody() throws Exception {
        HttpServer evil = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        byte[] page = ("<!doctype html><form id=f method=POST action='" + console + "/admin/vendors/globex/suspend'>"
                        + "<input name=reason value=pwned><input name=mode value=sever></form>"
                        + "<script>document.getElementById('f').submit()</script>")
                .getBytes(StandardCharsets.UTF_8);
        evil.createContext("/", exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "text/html");
            exchange.sendResponseHeaders(200, page.length);
            exchange.getResponseBody().write(page);
            exchange.close();
        });
        evil.start();
        try {
            ChromeDriver driver = operator.driver();
            driver.get("http://127.0.0.1:" + evil.getAddress().getPort() + "/");

            // the answer shown is the gateway's: the post arrived, with the operator's certificate, and was refused
            new WebDriverWait(driver, WAIT).until(d -> d.getPageSource().contains("cross-site-request"));
            assertThat(driver.getCurrentUrl()).startsWith(console + "/admin/vendors/globex/suspend");
            assertThat(status("globex")).isEqualTo("active");
        } finally {
            evil.stop(0);
        }
    }

    @Test
    @Order(4)
    void anAdminUsesTheGlobalSwitchReloadsRevokesAndDownloadsTheReportEachActionWithItsReason() throws Exception {
        Path audit = fixture.pki().dir().resolve("audit");
        try (HeadlessChromium chromium = browser("root")) {
            ChromeDriver driver = chromium.driver();
            WebDriverWait wait = new WebDriverWait(driver, WAIT);
            driver.get(console + "/");
            waitFor(
                    chromium,
                    "admin-signed-in",
                    d -> d.findElement(By.id("who")).getText().equals("root (admin)"));

            // no reason, no call: the dialog says why and nothing changes
            click(chromium, "suspend-all");
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("dialog-reason")));
            click(chromium, "dialog-confirm");
            waitFor(
                    chromium,
                    "reason-required",
                    d -> d.findElement(By.id("dialog-error")).getText().startsWith("A reason is required"));
            assertThat(status("globex")).isEqualTo("active");
            driver.findElement(By.id("dialog-reason")).sendKeys("drill: global switch");
            click(chromium, "dialog-confirm");
            waitFor(
                    chromium,
                    "all-suspended",
                    d -> d.findElement(By.id("result")).getText().startsWith("Every vendor is suspended (sever)"));
            waitFor(
                    chromium,
                    "global-banner",
                    d -> d.findElement(By.cssSelector(".global")).getText().contains("All vendors suspended"));
            waitFor(
                    chromium,
                    "globex-global",
                    d -> cell(driver, "globex", "status").contains("global switch on"));
            assertThat(status("globex")).isEqualTo("suspended");
            chromium.screenshot("global-switch");
            click(chromium, "resume-all");
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("dialog-reason")))
                    .sendKeys("drill over");
            click(chromium, "dialog-confirm");
            waitFor(
                    chromium,
                    "all-resumed",
                    d -> d.findElement(By.id("result")).getText().startsWith("Global suspension lifted"));
            assertThat(status("globex")).isEqualTo("active");

            driver.get(console + "/#/policy");
            click(chromium, "reload");
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("dialog-reason")))
                    .sendKeys("routine reload");
            click(chromium, "dialog-confirm");
            waitFor(
                    chromium,
                    "reloaded",
                    d -> d.findElement(By.id("result")).getText().contains("applied"));

            // a client's tokens, revoked from its row on the vendor's page
            driver.get(console + "/#/vendor/acme");
            waitFor(
                    chromium,
                    "clients-for-revoke",
                    d -> !d.findElements(By.cssSelector("#clients tbody tr")).isEmpty());
            String client = String.valueOf(
                    driver.executeScript("return document.querySelector('#clients tbody tr td.client-id').innerText;"));
            driver.executeScript("document.querySelector('#clients tbody tr button.danger').click();");
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("dialog-reason")))
                    .sendKeys("key leaked");
            click(chromium, "dialog-confirm");
            waitFor(
                    chromium,
                    "revoked",
                    d -> d.findElement(By.id("result")).getText().startsWith("Revoked client " + client));

            // the audit report for a window, as the page's CSV and JSON links fetch it with the certificate
            for (String format : List.of("csv", "json")) {
                Object answer = driver.executeAsyncScript(
                        "const done = arguments[arguments.length - 1];"
                                + "document.getElementById('report-since').value = '1h';"
                                + "const a = document.getElementById('report-' + arguments[0]);"
                                + "a.addEventListener('click', e => e.preventDefault()); a.click();"
                                + "fetch(a.href).then(r => r.text().then(t => done(r.status + ' ' + r.headers.get('content-type')"
                                + " + ' ' + a.href + '\\n' + t)), e => done('failed ' + e));",
                        format);
                assertThat(String.valueOf(answer))
                        .startsWith("200 " + (format.equals("csv") ? "text/csv" : "application/json"))
                        .contains("/v1/vendors/acme/report?since=1h&format=" + format)
                        .contains("spiffe://lab.example/vendor/acme/worker-1");
            }

            // a vendor resumed after a breach is on probation: the table says so, with since when
            IssuedCertificate oncall = fixture.pki().pki().operator("oncall");
            assertThat(fixture.admin(
                                    oncall,
                                    "POST",
                                    "/admin/vendors/globex/suspend",
                                    "{\"reason\":\"INC-1: keys stolen\",\"breach\":true}")
                            .statusCode())
                    .isEqualTo(200);
            assertThat(fixture.admin(oncall, "POST", "/admin/vendors/globex/resume", "{\"reason\":\"new keys issued\"}")
                            .statusCode())
                    .isEqualTo(200);
            driver.get(console + "/");
            waitFor(
                    chromium,
                    "probation",
                    d -> cell(driver, "globex", "status").contains("probation")
                            && cell(driver, "globex", "status").contains("on probation since"));
            chromium.screenshot("probation");
            // a second operator (oncall resumed it) ends the probation from the page
            click(chromium, "end-probation-globex");
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("dialog-reason")))
                    .sendKeys("keys rotated, checked");
            click(chromium, "dialog-confirm");
            waitFor(
                    chromium,
                    "probation-ended",
                    d -> d.findElement(By.id("result")).getText().startsWith("globex is active."));
            waitFor(
                    chromium,
                    "globex-active",
                    d -> cell(driver, "globex", "status").startsWith("active"));
        }

        // every action is in the trail with the admin and the reason given on the page
        for (String[] expected : List.of(
                new String[] {"suspend-all", "drill: global switch"},
                new String[] {"resume-all", "drill over"},
                new String[] {"reload", "routine reload"},
                new String[] {"revoke", "key leaked"},
                new String[] {"end-probation", "keys rotated, checked"})) {
            JsonNode record = TrailRecords.awaitAdmin(
                    audit,
                    r -> r.path("action").asText().equals(expected[0])
                            && r.path("outcome").asText().equals("ok"));
            assertThat(record).as("the audit record of " + expected[0]).isNotNull();
            assertThat(record.path("operator").asText()).isEqualTo("root");
            assertThat(record.path("reason").asText()).isEqualTo(expected[1]);
        }
    }

    @Test
    @Order(5)
    void whenTheGatewayStopsThePageSaysItIsUnreachable() throws Exception {
        ChromeDriver driver = operator.driver();
        driver.get(console + "/");
        waitFor(
                operator,
                "live",
                d -> d.findElement(By.id("connection")).getText().startsWith("live"));

        fixture.gateway().close();

        waitFor(
                operator,
                "unreachable",
                d -> d.findElement(By.id("connection")).getText().equals("gateway unreachable"));
        assertThat(driver.findElement(By.id("unreachable")).isDisplayed()).isTrue();
        assertThat(cell(driver, "acme", "status")).as("the last figures stay").contains("suspended");
        operator.screenshot("unreachable");
    }
}
