package dev.vendorgate.gateway.limits;

import dev.vendorgate.policy.Limits;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The headers of a limit refusal: {@code Retry-After}, and {@code RateLimit-Policy} with
 * {@code RateLimit} as structured fields per the IETF httpapi rate-limit headers draft
 * ({@code "name";q=quota;w=window[;qu=unit]} and {@code "name";r=remaining;t=reset}).
 */
public final class RateLimitHeaders {

    private RateLimitHeaders() {}

    /** For a request-rate refusal: the bucket's size as the quota, the time it takes to refill as the window. */
    public static Map<String, String> rate(String name, VendorLimiter.Refusal refusal) {
        long window = Math.max(1, (long) Math.ceil(refusal.burst() / refusal.rate()));
        long retry = refusal.retryAfterSeconds();
        return headers(
                retry, "\"" + name + "\";q=" + refusal.burst() + ";w=" + window, "\"" + name + "\";r=0;t=" + retry);
    }

    /** For a byte quota refusal: the daily quota, nothing left, reset at midnight UTC. */
    public static Map<String, String> quota(String name, long limit, Instant now, Instant resetsAt) {
        long reset = secondsUntil(now, resetsAt);
        return headers(
                reset,
                "\"" + name + "\";q=" + limit + ";w=86400;qu=\"content-bytes\"",
                "\"" + name + "\";r=0;t=" + reset);
    }

    /**
     * Whole seconds from {@code now} to {@code then}, at least 1, as a {@code t=} parameter says
     * it: what {@code Duration.between(now, then).toSeconds()} gives, without building a Duration
     * (every response of a vendor with a quota carries one).
     */
    static long secondsUntil(Instant now, Instant then) {
        long seconds = then.getEpochSecond() - now.getEpochSecond() - (then.getNano() < now.getNano() ? 1 : 0);
        return Math.max(1, seconds);
    }

    /** For a refusal because the vendor has as many requests in flight as it may. */
    public static Map<String, String> inFlight(int max) {
        return headers(1, "\"in-flight\";q=" + max + ";qu=\"concurrent-requests\"", "\"in-flight\";r=0;t=1");
    }

    /**
     * The {@code RateLimit-Policy} value of an allowed response: the vendor's request rate and its
     * daily byte quotas (the same for every response until the limits change; the limiter keeps it).
     */
    static String policy(Limits current, Gcra vendorRate) {
        java.util.List<String> policy = new java.util.ArrayList<>(3);
        if (vendorRate != null) {
            long window = Math.max(1, (long) Math.ceil(vendorRate.burst() / vendorRate.rate()));
            policy.add("\"vendor\";q=" + vendorRate.burst() + ";w=" + window);
        }
        if (current.bytesOutPerDay() > 0) {
            policy.add("\"bytes-out\";q=" + current.bytesOutPerDay() + ";w=86400;qu=\"content-bytes\"");
        }
        if (current.bytesInPerDay() > 0) {
            policy.add("\"bytes-in\";q=" + current.bytesInPerDay() + ";w=86400;qu=\"content-bytes\"");
        }
        return String.join(", ", policy);
    }

    private static Map<String, String> headers(long retryAfter, String policy, String state) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Retry-After", Long.toString(retryAfter));
        headers.put("RateLimit-Policy", policy);
        headers.put("RateLimit", state);
        return headers;
    }
}
