package dev.vendorgate.gateway.tripwire;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vendorgate.policy.Tripwires;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Posts each trip as JSON to the policy's webhook, off every event loop: a timeout per attempt,
 * retries with doubling backoff (1 s, 2 s, 4 s...), and a failure only logged. Nothing waits on
 * it: the suspension is done, or not, whatever the webhook does.
 */
final class WebhookSender implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(WebhookSender.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ExecutorService io = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "vendorgate-webhook");
        thread.setDaemon(true);
        return thread;
    });
    private final HttpClient client = HttpClient.newBuilder()
            .executor(io)
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    private final ScheduledExecutorService timer;

    WebhookSender(ScheduledExecutorService timer) {
        this.timer = timer;
    }

    static String body(Trip trip, String gateway) {
        ObjectNode out = JSON.createObjectNode();
        out.put("type", "vendorgate.tripwire")
                .put("id", trip.id())
                .put("vendor", trip.vendor())
                .put("rule", trip.rule())
                .put("kind", trip.kind())
                .put("action", trip.action().word())
                .put("operator", trip.operator())
                .put("reason", trip.reason())
                .put("at", trip.at().toString())
                .put("outcome", trip.outcome())
                .put("gateway", gateway);
        ObjectNode figures = out.putObject("figures");
        new java.util.TreeMap<>(trip.figures()).forEach(figures::put);
        out.put(
                "text",
                "vendorgate tripwire " + trip.rule() + " on vendor " + trip.vendor() + ": "
                        + trip.action().word() + " (" + trip.outcome() + "): " + trip.reason());
        return out.toString();
    }

    /** Sends {@code body}; the future ends with whether some attempt got a 2xx answer. */
    CompletableFuture<Boolean> send(Tripwires.Webhook hook, String body) {
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        attempt(hook, body, 0, done);
        return done;
    }

    private void attempt(Tripwires.Webhook hook, String body, int attempt, CompletableFuture<Boolean> done) {
        HttpRequest request = HttpRequest.newBuilder(hook.url())
                .timeout(hook.timeout())
                .header("Content-Type", "application/json")
                .header("User-Agent", "vendorgate-tripwire")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        CompletableFuture<HttpResponse<Void>> sent;
        try {
            sent = client.sendAsync(request, HttpResponse.BodyHandlers.discarding());
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        // the whole attempt, connection included, is bounded by the timeout
        sent.orTimeout(hook.timeout().toMillis(), TimeUnit.MILLISECONDS).whenComplete((response, error) -> {
            if (error == null && response.statusCode() / 100 == 2) {
                done.complete(true);
                return;
            }
            String why = error != null ? error.getClass().getSimpleName() : "status " + response.statusCode();
            if (attempt >= hook.retries()) {
                // the URL is not logged: it often carries the hook's secret
                LOG.warning(() -> "tripwire webhook failed after " + (attempt + 1) + " attempts (" + why + ")");
                done.complete(false);
                return;
            }
            long delay = 1000L << Math.min(attempt, 6);
            try {
                timer.schedule(() -> attempt(hook, body, attempt + 1, done), delay, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException stopped) {
                done.complete(false);
            }
        });
    }

    @Override
    public void close() {
        io.shutdownNow();
    }
}
