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
record RedisTarget(RedisURI uri, String prefix, String description) {

    static final String DEFAULT_PREFIX = "vendorgate:";

    static RedisTarget of(URI uri) {
        int port = uri.getPort() > 0 ? uri.getPort() : 6379;
        RedisURI.Builder redis = RedisURI.builder().withHost(uri.getHost()).withPort(port)
                .withSsl("rediss".equals(uri.getScheme()));
        String path = uri.getPath();
        if (path != null && path.length() > 1) {
            redis.withDatabase(Integer.parseInt(path.substring(1)));
        }
        String userInfo = uri.getRawUserInfo();
        if (userInfo != null) { // redis://user:password@host (ACLs) or redis://:password@host
            int colon = userInfo.indexOf(':');
            String user = decode(colon < 0 ? "" : userInfo.substring(0, colon));
            char[] password = decode(colon < 0 ? userInfo : userInfo.substring(colon + 1)).toCharArray();
            if (user.isEmpty()) {
                redis.withPassword(password);
            } else {
                redis.withAuthentication(user, password);
            }
        }
        String prefix = prefix(uri);
        return new RedisTarget(redis.build(), prefix, uri.getScheme() + "://" + uri.getHost() + ":" + port
                + (path == null ? "" : path) + " (keys " + prefix + "*)");
    }

    /** {@code ?prefix=...} (several fleets on one Redis), else {@value #DEFAULT_PREFIX}. */
    static String prefix(URI uri) {
        String query = uri.getRawQuery();
        if (query != null) {
            for (String pair : query.split("&")) {
                if (pair.startsWith("prefix=") && pair.length() > "prefix=".length()) {
                    return decode(pair.substring("prefix=".length()));
                }
            }
        }
        return DEFAULT_PREFIX;
    }

    private static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }
}
