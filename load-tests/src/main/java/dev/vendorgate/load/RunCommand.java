package dev.vendorgate.load;

import dev.vendorgate.gateway.transport.Transport;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.HistogramLogWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code run URL}: load against an mTLS HTTP endpoint, with a summary line and an optional HdrHistogram log. */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = "Send load to an mTLS HTTPS URL and report throughput and latency percentiles.")
final class RunCommand implements Callable<Integer> {

    @Parameters(paramLabel = "URL", description = "https://host:port/path")
    URI url;

    @Option(names = "--cert", required = true, description = "client certificate (PEM)")
    Path cert;

    @Option(names = "--key", required = true, description = "its private key (PEM PKCS#8)")
    Path key;

    @Option(names = "--ca", required = true, description = "CA that signed the server's certificate (PEM)")
    Path ca;

    @Option(
            names = {"-c", "--connections"},
            defaultValue = "64",
            description = "connections (default: ${DEFAULT-VALUE})")
    int connections;

    @Option(
            names = {"-d", "--duration"},
            defaultValue = "10s",
            description = "measured time, e.g. 30s (default: ${DEFAULT-VALUE})")
    String duration;

    @Option(names = "--warmup", defaultValue = "3s", description = "load before measuring (default: ${DEFAULT-VALUE})")
    String warmup;

    @Option(names = "--h2", description = "HTTP/2 (ALPN h2) instead of HTTP/1.1 keep-alive")
    boolean h2;

    @Option(
            names = "--streams",
            defaultValue = "16",
            description = "HTTP/2 streams in flight per connection (default: ${DEFAULT-VALUE})")
    int streams;

    @Option(names = "--handshake", description = "a new TLS connection for every request (measures handshakes)")
    boolean handshake;

    @Option(
            names = "--rate",
            defaultValue = "0",
            description = "open loop: requests per second in total (0: closed loop)")
    double rate;

    @Option(names = "--token-scope", description = "first get a bearer token with this scope from URL's /oauth2/token")
    String tokenScope;

    @Option(
            names = "--form",
            description = "POST this application/x-www-form-urlencoded body instead of GET"
                    + " (e.g. grant_type=client_credentials&scope=datasets:read against /oauth2/token)")
    String form;

    @Option(names = "--threads", defaultValue = "0", description = "event loop threads (0: one per core)")
    int threads;

    @Option(names = "--name", defaultValue = "run", description = "scenario name in the summary")
    String name;

    @Option(names = "--json", description = "print the summary as one JSON object")
    boolean json;

    @Option(names = "--hdr-log", description = "write an HdrHistogram interval log (one interval per second) here")
    Path hdrLog;

    @Override
    public Integer call() throws Exception {
        double warmupSeconds = seconds(warmup);
        double measuredSeconds = seconds(duration);
        int port = url.getPort() > 0 ? url.getPort() : 443;
        String path = url.getRawPath() == null || url.getRawPath().isEmpty()
                ? "/"
                : url.getRawPath() + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
        String authorization =
                tokenScope == null ? null : "Bearer " + token(url.getHost(), port, cert, key, ca, tokenScope);
        Generator.Plan plan = new Generator.Plan(
                url.getHost(), port, path, authorization, connections, streams, h2, handshake, rate, form);
        Results results = run(plan, Tls.client(cert, key, ca, h2), threads, warmupSeconds, measuredSeconds, hdrLog);
        results.print(System.out, name, measuredSeconds, json);
        return results.requests() > 0 ? 0 : 1;
    }

    /** Runs {@code plan}: warm-up, then the measured time; the results of the measured time. */
    static Results run(Generator.Plan plan, SslContext tls, int threads, double warmup, double measured, Path hdrLog)
            throws Exception {
        Transport transport = Transport.detect(false);
        EventLoopGroup group =
                transport.newGroup(threads > 0 ? threads : Runtime.getRuntime().availableProcessors(), "load");
        Results results = new Results();
        Generator generator = new Generator(plan, tls, group, transport.clientChannel(), results);
        try (PrintStream logStream = hdrLog == null ? null : new PrintStream(new FileOutputStream(hdrLog.toFile()))) {
            HistogramLogWriter log = logStream == null ? null : new HistogramLogWriter(logStream);
            if (log != null) {
                log.outputLogFormatVersion();
                log.outputLegend();
            }
            generator.start();
            Thread.sleep((long) (warmup * 1000));
            results.start();
            long end = System.nanoTime() + (long) (measured * 1e9);
            while (System.nanoTime() < end) {
                Thread.sleep(Math.min(1000, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
                results.interval(log);
            }
            results.stop();
            results.interval(log);
        } finally {
            generator.stop();
            group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS)
                    .syncUninterruptibly();
        }
        return results;
    }

    /** A bearer token from {@code host:port}'s token endpoint, asked for with the client certificate. */
    static String token(String host, int port, Path cert, Path key, Path ca, String scope) throws Exception {
        HttpClient client =
                HttpClient.newBuilder().sslContext(Tls.jdk(cert, key, ca)).build();
        HttpResponse<String> response = client.send(
                HttpRequest.newBuilder(URI.create("https://" + host + ":" + port + "/oauth2/token"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "grant_type=client_credentials&scope=" + scope.replace(" ", "%20")))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        Matcher token = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"").matcher(response.body());
        if (response.statusCode() != 200 || !token.find()) {
            throw new IllegalStateException("token request failed: " + response.statusCode() + " " + response.body());
        }
        return token.group(1);
    }

    /** A duration as 500ms, 10s, 2m or ISO-8601 (PT10S); a clear error for anything else. */
    static double seconds(String text) {
        try {
            return parseSeconds(text);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("'" + text + "' is not a duration (500ms, 10s, 2m)", e);
        }
    }

    private static double parseSeconds(String text) {
        String t = text.trim();
        if (t.endsWith("ms")) {
            return Double.parseDouble(t.substring(0, t.length() - 2)) / 1000;
        }
        if (t.endsWith("s")) {
            return Double.parseDouble(t.substring(0, t.length() - 1));
        }
        if (t.endsWith("m")) {
            return Double.parseDouble(t.substring(0, t.length() - 1)) * 60;
        }
        return Duration.parse(t).toMillis() / 1000.0;
    }
}
