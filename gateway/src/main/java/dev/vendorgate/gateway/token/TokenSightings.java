package dev.vendorgate.gateway.token;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.Objects;

/**
 * The token ids (jti) this node issued or accepted recently, so that revoking an id it has never
 * heard of can say so (a typo, or a token of another node or issuer). Tokens live an hour at
 * most: ids are kept two hours, at most {@value #KEPT} of them, in memory only.
 */
public final class TokenSightings {

    static final int KEPT = 100_000;
    private static final Duration KEPT_FOR = Duration.ofHours(2);

    private final Cache<String, Boolean> ids =
            Caffeine.newBuilder().maximumSize(KEPT).expireAfterWrite(KEPT_FOR).build();

    /** Notes a token id this node issued or accepted; cheap enough for an event loop. */
    public void saw(String jti) {
        // a read on every request, a write only for a new id: a write per request would contend under load
        if (jti != null && ids.getIfPresent(jti) == null) {
            ids.put(jti, Boolean.TRUE);
        }
    }

    /** Whether this node issued or accepted {@code jti} in the last two hours. */
    public boolean known(String jti) {
        return ids.getIfPresent(Objects.requireNonNull(jti, "jti")) != null;
    }
}
