package dev.vendorgate.gateway.control;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * A fleet's tripwire baselines in Redis, so that every node's rules see the whole fleet's figures.
 * Per vendor: a hash {@code <prefix>tripwire:<vendor>} of hourly figures (fields {@code <epoch
 * hour>:bytesOut}, {@code :requests}, {@code :objects}) and {@code firstSeen}, kept 29 days; a
 * HyperLogLog of this hour's objects {@code <prefix>tripwire:<vendor>:objects:<epoch hour>}, kept
 * two hours (its count is copied to the hash); a sorted set {@code <prefix>tripwire:<vendor>:networks}
 * of source networks scored by when they were last seen (epoch second), trimmed by age and size.
 * A node sends what it counted since its last call in one script per vendor (a few times a
 * minute at most once a second), never per request; the answer holds the fleet's totals.
 */
public final class RedisTripwires {

    /** How long the hourly hash and the networks live without a write. */
    static final long KEEP_SECONDS = 29L * 86400;
    /** Networks not seen for this long are forgotten, and at most this many are kept (the most recent). */
    static final long NETWORKS_FORGOTTEN_AFTER = 400L * 86400;

    static final int MAX_NETWORKS = 16384;

    private static final String FLUSH_SCRIPT = """
            local hour = ARGV[1]
            local keep = tonumber(ARGV[5])
            local b = redis.call('HINCRBY', KEYS[1], hour .. ':bytesOut', ARGV[2])
            local r = redis.call('HINCRBY', KEYS[1], hour .. ':requests', ARGV[3])
            local first = tonumber(ARGV[4])
            if first >= 0 then
              local known = redis.call('HGET', KEYS[1], 'firstSeen')
              if not known or tonumber(known) > first then
                redis.call('HSET', KEYS[1], 'firstSeen', first)
              end
            end
            redis.call('EXPIRE', KEYS[1], keep)
            local i = 9
            local chunk = {}
            for _ = 1, tonumber(ARGV[6]) do
              chunk[#chunk + 1] = ARGV[i]
              i = i + 1
              if #chunk == 500 then
                redis.call('PFADD', KEYS[2], unpack(chunk))
                chunk = {}
              end
            end
            if #chunk > 0 then
              redis.call('PFADD', KEYS[2], unpack(chunk))
            end
            local objects = 0
            if redis.call('EXISTS', KEYS[2]) == 1 then
              objects = redis.call('PFCOUNT', KEYS[2])
              redis.call('EXPIRE', KEYS[2], 7200)
              redis.call('HSET', KEYS[1], hour .. ':objects', objects)
            end
            local fleetFirst = redis.call('HGET', KEYS[1], 'firstSeen')
            local out = {b, r, objects, fleetFirst and tonumber(fleetFirst) or -1}
            local asked = tonumber(ARGV[8])
            for _ = 1, asked do
              local score = redis.call('ZSCORE', KEYS[3], ARGV[i])
              out[#out + 1] = score and tonumber(score) or -1
              i = i + 1
            end
            local seen = tonumber(ARGV[7])
            for _ = 1, seen do
              redis.call('ZADD', KEYS[3], 'GT', ARGV[i + 1], ARGV[i])
              i = i + 2
            end
            if seen > 0 then
              redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', '(' .. ARGV[i])
              redis.call('ZREMRANGEBYRANK', KEYS[3], 0, -tonumber(ARGV[i + 1]) - 1)
              redis.call('EXPIRE', KEYS[3], keep)
            end
            return out
            """;

    /**
     * What a node counted for a vendor since its last call.
     *
     * @param objects the objects it saw (each once is enough; the fleet's count is of distinct ones)
     * @param firstSeen when the node first saw the vendor (epoch second), or -1
     * @param networksSeen networks (CIDR) and when the node last saw each (epoch second)
     * @param networksAsked networks whose fleet-wide last sighting the caller wants, before this call's
     */
    public record Counts(
            long hour,
            long bytesOut,
            long requests,
            List<String> objects,
            long firstSeen,
            Map<String, Long> networksSeen,
            List<String> networksAsked,
            long nowSeconds) {}

    /**
     * The fleet's figures after a call: this hour's totals, when the fleet first saw the vendor (-1
     * if never), and each asked network's last sighting before the call (-1 if the fleet never saw it).
     */
    public record Totals(long bytesOut, long requests, long objects, long firstSeen, Map<String, Long> lastSeen) {}

    /** One hour of a vendor's fleet-wide history. */
    public record Hour(long bytesOut, long requests, long objects) {}

    private final Supplier<StatefulRedisConnection<String, String>> connection;
    private final String prefix;

    RedisTripwires(Supplier<StatefulRedisConnection<String, String>> connection, String prefix) {
        this.connection = connection;
        this.prefix = prefix;
    }

    private String key(String vendor) {
        return prefix + "tripwire:" + vendor;
    }

    /** Adds a node's counts to the fleet's and answers with the fleet's totals (one script, atomic). */
    public CompletableFuture<Totals> add(String vendor, Counts counts) {
        StatefulRedisConnection<String, String> redis = connection.get();
        if (redis == null || !redis.isOpen()) {
            return CompletableFuture.failedFuture(new IOException("Redis is unreachable"));
        }
        List<String> args = new ArrayList<>(8
                + counts.objects().size()
                + counts.networksAsked().size()
                + 2 * counts.networksSeen().size()
                + 2);
        args.add(Long.toString(counts.hour()));
        args.add(Long.toString(counts.bytesOut()));
        args.add(Long.toString(counts.requests()));
        args.add(Long.toString(counts.firstSeen()));
        args.add(Long.toString(KEEP_SECONDS));
        args.add(Integer.toString(counts.objects().size()));
        args.add(Integer.toString(counts.networksSeen().size()));
        args.add(Integer.toString(counts.networksAsked().size()));
        args.addAll(counts.objects());
        args.addAll(counts.networksAsked());
        counts.networksSeen().forEach((network, at) -> {
            args.add(network);
            args.add(Long.toString(at));
        });
        args.add(Long.toString(counts.nowSeconds() - NETWORKS_FORGOTTEN_AFTER));
        args.add(Integer.toString(MAX_NETWORKS));
        String[] keys = {key(vendor), key(vendor) + ":objects:" + counts.hour(), key(vendor) + ":networks"};
        return redis.async()
                .<List<Object>>eval(FLUSH_SCRIPT, ScriptOutputType.MULTI, keys, args.toArray(String[]::new))
                .toCompletableFuture()
                .thenApply(out -> {
                    Map<String, Long> lastSeen = new HashMap<>();
                    for (int i = 0; i < counts.networksAsked().size(); i++) {
                        lastSeen.put(counts.networksAsked().get(i), number(out.get(4 + i)));
                    }
                    return new Totals(
                            number(out.get(0)), number(out.get(1)), number(out.get(2)), number(out.get(3)), lastSeen);
                });
    }

    /**
     * Claims a trip for this node, once in the fleet: true for the first node to claim {@code what}
     * of {@code vendor} within {@code ttlSeconds} (SET NX), false for the others, so that a rule every
     * node evaluates on the fleet's figures is acted on (alerted, posted) once.
     */
    public CompletableFuture<Boolean> claim(String vendor, String what, String node, long ttlSeconds) {
        StatefulRedisConnection<String, String> redis = connection.get();
        if (redis == null || !redis.isOpen()) {
            return CompletableFuture.failedFuture(new IOException("Redis is unreachable"));
        }
        return redis.async()
                .set(
                        key(vendor) + ":trip:" + what,
                        node,
                        io.lettuce.core.SetArgs.Builder.nx().ex(ttlSeconds))
                .toCompletableFuture()
                .thenApply("OK"::equals);
    }

    /** The vendor's fleet-wide hourly history (epoch hour to figures), for hours with requests. */
    public CompletableFuture<Map<Long, Hour>> history(String vendor) {
        StatefulRedisConnection<String, String> redis = connection.get();
        if (redis == null || !redis.isOpen()) {
            return CompletableFuture.failedFuture(new IOException("Redis is unreachable"));
        }
        return redis.async().hgetall(key(vendor)).toCompletableFuture().thenApply(fields -> {
            Map<Long, long[]> figures = new TreeMap<>();
            fields.forEach((field, value) -> {
                int colon = field.indexOf(':');
                if (colon < 0) {
                    return;
                }
                int index = switch (field.substring(colon + 1)) {
                    case "bytesOut" -> 0;
                    case "requests" -> 1;
                    case "objects" -> 2;
                    default -> -1;
                };
                try {
                    long hour = Long.parseLong(field.substring(0, colon));
                    if (index >= 0) {
                        figures.computeIfAbsent(hour, h -> new long[3])[index] = Long.parseLong(value);
                    }
                } catch (NumberFormatException e) {
                    // not a field of ours
                }
            });
            Map<Long, Hour> out = new LinkedHashMap<>();
            figures.forEach((hour, f) -> {
                if (f[1] > 0) {
                    out.put(hour, new Hour(f[0], f[1], f[2]));
                }
            });
            return out;
        });
    }

    private static long number(Object value) {
        if (value instanceof Long l) {
            return l;
        }
        return value == null ? -1 : Long.parseLong(value.toString());
    }
}
