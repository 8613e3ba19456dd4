package dev.vendorgate.gateway.control;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * A fleet's byte quotas and request rates in Redis: each node asks for a share (a lease) of a
 * vendor's daily quota, or of its request rate, before it counts past what it holds. Grants are
 * atomic Lua scripts that use Redis's clock ({@code TIME}), not the nodes': no more than the quota
 * is granted in a day, and no more requests than the rate refills.
 */
final class RedisQuotaLeaser implements QuotaLeaser {

    private static final String LEASE_SCRIPT = """
            local t = redis.call('TIME')
            local day = math.floor(tonumber(t[1]) / 86400)
            local key = KEYS[1] .. ':' .. day
            local used = tonumber(redis.call('GET', key) or '0')
            local grant = math.min(tonumber(ARGV[1]), tonumber(ARGV[2]) - used)
            if grant <= 0 then
              return 0
            end
            redis.call('INCRBY', key, grant)
            redis.call('EXPIRE', key, 172800)
            return grant
            """;

    /** A token bucket on Redis's clock: refilled at ARGV[2] per second up to ARGV[3], takes up to ARGV[1]. */
    private static final String RATE_SCRIPT = """
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            local want = tonumber(ARGV[1])
            local rate = tonumber(ARGV[2])
            local burst = tonumber(ARGV[3])
            local state = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
            local tokens = tonumber(state[1]) or burst
            local ts = tonumber(state[2]) or now
            tokens = math.min(burst, tokens + math.max(0, now - ts) * rate / 1000)
            local grant = math.max(0, math.min(want, math.floor(tokens)))
            tokens = tokens - grant
            redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', tostring(now))
            redis.call('PEXPIRE', KEYS[1], 60000)
            return grant
            """;

    private final Supplier<StatefulRedisConnection<String, String>> connection;
    private final String prefix;

    private final java.util.function.IntSupplier fleetSize;

    RedisQuotaLeaser(
            Supplier<StatefulRedisConnection<String, String>> connection,
            String prefix,
            java.util.function.IntSupplier fleetSize) {
        this.connection = connection;
        this.prefix = prefix;
        this.fleetSize = fleetSize;
    }

    @Override
    public int fleetSize() {
        return Math.max(1, fleetSize.getAsInt());
    }

    @Override
    public CompletableFuture<Long> lease(String vendor, String direction, long want, long limit) {
        StatefulRedisConnection<String, String> redis = connection.get();
        if (redis == null || !redis.isOpen()) {
            return CompletableFuture.failedFuture(new IOException("Redis is unreachable"));
        }
        return redis.async()
                .<Long>eval(
                        LEASE_SCRIPT,
                        ScriptOutputType.INTEGER,
                        new String[] {prefix + "quota:" + vendor + ":" + direction},
                        Long.toString(want),
                        Long.toString(limit))
                .toCompletableFuture();
    }

    @Override
    public CompletableFuture<Long> leaseRequests(String vendor, long want, double rate, int burst) {
        StatefulRedisConnection<String, String> redis = connection.get();
        if (redis == null || !redis.isOpen()) {
            return CompletableFuture.failedFuture(new IOException("Redis is unreachable"));
        }
        return redis.async()
                .<Long>eval(
                        RATE_SCRIPT,
                        ScriptOutputType.INTEGER,
                        new String[] {prefix + "rate:" + vendor},
                        Long.toString(want),
                        Double.toString(rate),
                        Integer.toString(burst))
                .toCompletableFuture();
    }
}
