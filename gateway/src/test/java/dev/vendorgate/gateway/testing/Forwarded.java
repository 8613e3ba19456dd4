package dev.vendorgate.gateway.testing;

import dev.vendorgate.certs.IssuedCertificate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.UUID;

/**
 * What a fixture's upstream received since a point, for tests that assert that something did
 * not reach it: instead of waiting "a moment" for anything in transit, a marker request is sent
 * afterwards, on a connection of its own, and answered; what the gateway forwarded before it is
 * then in the upstream's list, ahead of the marker.
 */
public final class Forwarded {

    private Forwarded() {}

    /** The requests after the first {@code seenBefore} that came before the marker (the marker left out). */
    public static List<TestUpstream.Received> since(GatewayFixture fixture, IssuedCertificate vendor, int seenBefore) {
        String marker = "/datasets/marker-" + UUID.randomUUID();
        try (RawHttpsClient client = new RawHttpsClient(fixture.pki().clientContext(vendor), fixture.port())) {
            client.send("GET " + marker + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
            int status = client.readHead().status();
            if (status != 200) {
                throw new IllegalStateException("the marker request " + marker + " got " + status);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the marker request " + marker + " failed", e);
        }
        List<TestUpstream.Received> all = fixture.upstream().received();
        int at = all.stream().map(TestUpstream.Received::uri).toList().indexOf(marker);
        if (at < 0) {
            throw new IllegalStateException("the upstream answered " + marker + " but did not record it");
        }
        return all.subList(seenBefore, at);
    }
}
