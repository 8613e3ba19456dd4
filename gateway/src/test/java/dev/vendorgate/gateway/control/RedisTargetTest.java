package dev.vendorgate.gateway.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;

/** What the gateway makes of a {@code controlStore: redis://...} URI, and what it shows of it. */
class RedisTargetTest {

    @Test
    void credentialsReachTheClientButNeverTheDescription() {
        RedisTarget target = RedisTarget.of(URI.create("rediss://gateway:s3cr%40t@redis.lab:6380/2?prefix=fleet-a:"));

        io.lettuce.core.RedisCredentials credentials =
                target.uri().getCredentialsProvider().resolveCredentials().block();
        assertThat(credentials.getUsername()).isEqualTo("gateway");
        assertThat(new String(credentials.getPassword())).isEqualTo("s3cr@t");
        assertThat(target.uri().isSsl()).isTrue();
        assertThat(target.uri().getDatabase()).isEqualTo(2);
        assertThat(target.prefix()).isEqualTo("fleet-a:");
        assertThat(target.description())
                .isEqualTo("rediss://redis.lab:6380/2 (keys fleet-a:*)")
                .doesNotContain("s3cr", "gateway");
    }

    @Test
    void defaults() {
        RedisTarget target = RedisTarget.of(URI.create("redis://127.0.0.1"));

        assertThat(target.uri().getPort()).isEqualTo(6379);
        assertThat(target.uri().getDatabase()).isZero();
        assertThat(target.prefix()).isEqualTo("vendorgate:");
        assertThat(target.uri()
                        .getCredentialsProvider()
                        .resolveCredentials()
                        .block()
                        .hasPassword())
                .isFalse();
    }

    @Test
    void failClosedAfterIsWholeSecondsOrMinutes() {
        assertThat(RedisTarget.of(URI.create("redis://h?failClosedAfter=30s")).failClosedAfter())
                .hasSeconds(30);
        assertThat(RedisTarget.of(URI.create("redis://h?prefix=p:&failClosedAfter=2m"))
                        .failClosedAfter())
                .hasMinutes(2);
        assertThat(RedisTarget.of(URI.create("redis://h")).failClosedAfter()).isNull();
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> RedisTarget.of(URI.create("redis://h?failClosedAfter=0s")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("30s");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> RedisTarget.of(URI.create("redis://h?failClosedAfter=soon")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
