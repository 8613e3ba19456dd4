package dev.vendorgate.gateway.testing;

import dev.vendorgate.certs.IssuedCertificate;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's headless Chromium driven through chromedriver, presenting an operator's client
 * certificate the way a person's browser would: the PKCS#12 imported into the NSS store of a
 * throw-away HOME with {@code pk12util}, the gateway's CA trusted there with {@code certutil},
 * and the certificate chosen without a prompt by the managed {@code AutoSelectCertificateForUrls}
 * policy. The user's own store is never touched.
 */
public final class HeadlessChromium implements AutoCloseable {

    public static final Path POLICY = Path.of("/etc/chromium/policies/managed/vendorgate-test.json");
    private static final String CHROMIUM = "/usr/bin/chromium";
    private static final String CHROMEDRIVER = "/usr/bin/chromedriver";

    private final ChromeDriver driver;

    private HeadlessChromium(ChromeDriver driver) {
        this.driver = driver;
    }

    /** Why the browser tests cannot run here, or null if they can. */
    public static String missing() {
        for (String tool : List.of(CHROMIUM, CHROMEDRIVER, "/usr/bin/pk12util", "/usr/bin/certutil")) {
            if (!Files.isExecutable(Path.of(tool))) {
                return tool + " is not installed (apt-get install -y chromium chromium-driver libnss3-tools)";
            }
        }
        try {
            Files.createDirectories(POLICY.getParent());
        } catch (IOException e) {
            return "cannot create " + POLICY.getParent() + " (needs root) for the certificate selection policy";
        }
        if (!Files.isWritable(POLICY.getParent())) {
            return POLICY.getParent() + " is not writable (needs root) for the certificate selection policy";
        }
        return null;
    }

    /** Lets Chromium pick the (only) client certificate of its store for {@code origin} without asking. */
    public static void autoSelectCertificateFor(String origin) {
        try {
            Files.writeString(
                    POLICY,
                    "{\"AutoSelectCertificateForUrls\": [\"{\\\"pattern\\\":\\\"" + origin
                            + "\\\",\\\"filter\\\":{}}\"]}\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void removePolicy() {
        try {
            Files.deleteIfExists(POLICY);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts a browser whose HOME is {@code home}, holding {@code operator}'s certificate and trusting {@code ca}. */
    public static HeadlessChromium start(Path home, IssuedCertificate operator, X509Certificate ca) {
        try {
            Path nssdb = Files.createDirectories(home.resolve(".pki/nssdb"));
            run(home, "certutil", "-N", "-d", "sql:" + nssdb, "--empty-password");
            Path p12 = home.resolve("operator.p12");
            Files.write(p12, operator.toPkcs12("test".toCharArray(), "operator"));
            run(home, "pk12util", "-d", "sql:" + nssdb, "-i", p12.toString(), "-W", "test");
            Path caPem = home.resolve("ca.pem");
            Files.writeString(
                    caPem,
                    "-----BEGIN CERTIFICATE-----\n"
                            + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(ca.getEncoded())
                            + "\n-----END CERTIFICATE-----\n");
            run(
                    home,
                    "certutil",
                    "-A",
                    "-d",
                    "sql:" + nssdb,
                    "-n",
                    "vendorgate-test-ca",
                    "-t",
                    "C,,",
                    "-i",
                    caPem.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER))
                .usingAnyFreePort()
                .withEnvironment(Map.of("HOME", home.toString()))
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-dev-shm-usage",
                "--disable-gpu",
                "--window-size=1360,860",
                "--no-first-run",
                "--user-data-dir=" + home.resolve("profile"));
        return new HeadlessChromium(new ChromeDriver(service, options));
    }

    public ChromeDriver driver() {
        return driver;
    }

    /** Saves what the browser shows to {@code target/console-screenshots/NAME.png}. */
    public Path screenshot(String name) {
        try {
            Path dir = Files.createDirectories(Path.of("target", "console-screenshots"));
            return Files.write(dir.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void run(Path home, String... command) throws IOException {
        List<String> line = new ArrayList<>(List.of(command));
        // no terminal to ask for a password on: a tool that wants one fails instead of prompting forever
        Process process = new ProcessBuilder(line)
                .redirectErrorStream(true)
                .directory(home.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        String output = new String(process.getInputStream().readNBytes(64 * 1024));
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(command[0] + " did not finish");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        if (process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output);
        }
    }

    @Override
    public void close() {
        driver.quit();
    }
}
