package dev.vendorgate.gateway.control;

import io.lettuce.core.RedisURI;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * Where the fleet's state lives, from {@code controlStore: redis://[user:password@]host[:port][/db][?prefix=...]}
 * ({@code rediss://} for TLS): the client's URI, the key prefix, and a description for logs
 * that never holds the password.
 */
record RedisTarget(RedisURI uri, String prefix, String description, java.time.Duration failClosedAfter) {

    static final String DEFAULT_PREFIX = "vendorgate:";

    static RedisTarget of(URI uri) {
        int port = uri.getPort() > 0 ? uri.getPort() : 6379;
        RedisURI.Builder redis =
                RedisURI.builder().withHost(uri.getHost()).withPort(port).withSsl("rediss".equals(uri.getScheme()));
        String path = uri.getPath();
        if (path != null && path.length() > 1) {
            redis.withDatabase(Integer.parseInt(path.substring(1)));
        }
        String userInfo = uri.getRawUserInfo();
        if (userInfo != null) { // redis://user:password@host (ACLs) or redis://:password@host
            int colon = userInfo.indexOf(':');
            String user = decode(colon < 0 ? "" : userInfo.substring(0, colon));
            char[] password =
                    decode(colon < 0 ? userInfo : userInfo.substring(colon + 1)).toCharArray();
            if (user.isEmpty()) {
                redis.withPassword(password);
            } else {
                redis.withAuthentication(user, password);
            }
        }
        String prefix = prefix(uri);
        java.time.Duration failClosed = failClosedAfter(uri);
        return new RedisTarget(
                redis.build(),
                prefix,
                uri.getScheme() + "://" + uri.getHost() + ":" + port
                        + (path == null ? "" : path) + " (keys " + prefix + "*"
                        + (failClosed == null
                                ? ""
                                : "; fail closed after " + failClosed.toSeconds() + "s without Redis")
                        + ")",
                failClosed);
    }

    /** {@code ?prefix=...} (several fleets on one Redis), else {@value #DEFAULT_PREFIX}. */
    static String prefix(URI uri) {
        String prefix = parameter(uri, "prefix");
        return prefix == null || prefix.isEmpty() ? DEFAULT_PREFIX : prefix;
    }

    /**
     * {@code ?failClosedAfter=30s} (whole seconds or minutes): refuse all vendor traffic once Redis
     * has been out of reach this long; absent, a node keeps serving on what it knows.
     */
    static java.time.Duration failClosedAfter(URI uri) {
        String text = parameter(uri, "failClosedAfter");
        if (text == null) {
            return null;
        }
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("([0-9]{1,6})(s|m)").matcher(text);
        if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
            throw new IllegalArgumentException(
                    "controlStore: failClosedAfter must be whole seconds or minutes, " + "as 30s or 2m");
        }
        long amount = Long.parseLong(m.group(1));
        return m.group(2).equals("s") ? java.time.Duration.ofSeconds(amount) : java.time.Duration.ofMinutes(amount);
    }

    private static String parameter(URI uri, String name) {
        String query = uri.getRawQuery();
        if (query != null) {
            for (String pair : query.split("&")) {
                if (pair.startsWith(name + "=")) {
                    return decode(pair.substring(name.length() + 1));
                }
            }
        }
        return null;
    }

    private static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }
}
