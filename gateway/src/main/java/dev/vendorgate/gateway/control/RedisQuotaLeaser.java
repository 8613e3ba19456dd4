package dev.vendorgate.gateway.control;

import dev.vendorgate.gateway.limits.QuotaLeaser;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * A fleet's byte quotas in Redis: each node asks for a share (a lease) of a vendor's daily quota
 * before it counts past what it holds. The grant is atomic in a Lua script that uses Redis's
 * clock ({@code TIME}) for the day, not the nodes'; no more than the quota is granted in a day.
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

    private final Supplier<StatefulRedisConnection<String, String>> connection;
    private final String prefix;

    RedisQuotaLeaser(Supplier<StatefulRedisConnection<String, String>> connection, String prefix) {
        this.connection = connection;
        this.prefix = prefix;
    }

    @Override
    public CompletableFuture<Long> lease(String vendor, String direction, long want, long limit) {
        StatefulRedisConnection<String, String> redis = connection.get();
        if (redis == null || !redis.isOpen()) {
            return CompletableFuture.failedFuture(new IOException("Redis is unreachable"));
        }
        return redis.async().<Long>eval(LEASE_SCRIPT, ScriptOutputType.INTEGER,
                new String[] {prefix + "quota:" + vendor + ":" + direction}, Long.toString(want), Long.toString(limit))
                .toCompletableFuture();
    }
}
