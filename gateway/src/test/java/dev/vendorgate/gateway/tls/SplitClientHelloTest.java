package dev.vendorgate.gateway.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vendorgate.gateway.testing.GatewayFixture;
import dev.vendorgate.gateway.testing.Policies;
import dev.vendorgate.gateway.testing.RawHttpsClient;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A ClientHello cut into many small TLS records (as evasion tools do) is reassembled and checked
 * like any other: without a client certificate the handshake still fails, with one it works.
 */
class SplitClientHelloTest {

    @TempDir
    Path dir;

    @Test
    void aFragmentedClientHelloDoesNotBypassClientAuthentication() throws Exception {
        try (GatewayFixture fixture = GatewayFixture.start(dir, Policies.TWO_VENDORS);
                ServerSocket splitter = new ServerSocket(0)) {
            ExecutorService pool = Executors.newCachedThreadPool();
            try {
                pool.submit(() -> relay(splitter, fixture.port(), pool));

                assertThatThrownBy(() ->
                                get(new RawHttpsClient(fixture.pki().clientContext(null), splitter.getLocalPort())))
                        .isInstanceOf(IOException.class);
                assertThat(get(new RawHttpsClient(
                                fixture.pki().clientContext(fixture.pki().vendor("acme", null)),
                                splitter.getLocalPort())))
                        .isEqualTo(200);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    private static int get(RawHttpsClient client) throws IOException {
        try (client) {
            client.send("GET /datasets/a HTTP/1.1\r\nHost: localhost\r\n\r\n");
            return client.readHead().status();
        }
    }

    /** Accepts clients; re-frames each one's first TLS record into 16-byte records, then relays both ways. */
    private static Void relay(ServerSocket splitter, int port, ExecutorService pool) throws IOException {
        while (!splitter.isClosed()) {
            Socket client = splitter.accept();
            Socket server = new Socket("127.0.0.1", port);
            pool.submit(() -> {
                DataInputStream in = new DataInputStream(client.getInputStream());
                OutputStream out = server.getOutputStream();
                byte[] header = new byte[5];
                in.readFully(header);
                int length = (header[3] & 0xff) << 8 | header[4] & 0xff;
                byte[] body = new byte[length];
                in.readFully(body);
                assertThat(header[0]).as("a handshake record first").isEqualTo((byte) 22);
                for (int i = 0; i < length; i += 16) {
                    int n = Math.min(16, length - i);
                    out.write(new byte[] {header[0], header[1], header[2], (byte) (n >> 8), (byte) n});
                    out.write(body, i, n);
                    out.flush();
                }
                copy(in, out);
                return null;
            });
            pool.submit(() -> copy(server.getInputStream(), client.getOutputStream()));
        }
        return null;
    }

    private static Void copy(InputStream in, OutputStream out) throws IOException {
        try (in;
                out) {
            in.transferTo(out);
        } catch (IOException closed) {
            // one side closed
        }
        return null;
    }
}
