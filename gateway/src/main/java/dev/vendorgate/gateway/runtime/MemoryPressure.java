package dev.vendorgate.gateway.runtime;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.util.internal.PlatformDependent;

/**
 * Whether the buffers of Netty's allocator are close to the direct memory the JVM may use. Above
 * {@link #THRESHOLD} the gateway sheds new requests (503) instead of failing ones in flight.
 */
public final class MemoryPressure {

    static final double THRESHOLD = 0.9;

    private MemoryPressure() {}

    public static boolean high() {
        long max = PlatformDependent.maxDirectMemory();
        if (max <= 0 || !(ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider metrics)) {
            return false;
        }
        return metrics.metric().usedDirectMemory() > max * THRESHOLD;
    }
}
