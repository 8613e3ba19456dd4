package dev.vendorgate.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.internal.PlatformDependent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The JVM-wide Netty settings {@code run} makes before the first buffer, and that an operator's -D overrides. */
class RunSettingsTest {

    private static final String LOW_MEMORY = "io.netty.allocator.lowMemory";
    private String before;

    @BeforeEach
    void save() {
        before = System.getProperty(LOW_MEMORY);
        System.clearProperty(LOW_MEMORY);
    }

    @AfterEach
    void restore() {
        if (before == null) {
            System.clearProperty(LOW_MEMORY);
        } else {
            System.setProperty(LOW_MEMORY, before);
        }
    }

    @Test
    void theAllocatorIsChosenByTheDirectMemoryNotTheHeap() {
        RunCommand.pooledBuffersByDirectMemoryUnlessAsked();
        boolean enough = PlatformDependent.maxDirectMemory() >= RunCommand.LOW_DIRECT_MEMORY;
        assertThat(System.getProperty(LOW_MEMORY)).isEqualTo(enough ? "false" : null);
    }

    @Test
    void anOperatorsChoiceStands() {
        System.setProperty(LOW_MEMORY, "true");
        RunCommand.pooledBuffersByDirectMemoryUnlessAsked();
        assertThat(System.getProperty(LOW_MEMORY)).isEqualTo("true");
    }
}
