package dev.vendorgate.gateway.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * HTTP/1.1 over a raw TLS socket, for tests that need control a normal client hides: sending
 * exact bytes, reading a body slowly, or seeing exactly when the connection closes.
 */
public final class RawHttpsClient implements AutoCloseable {

    private final SSLSocket socket;
    private final InputStream in;
    private final OutputStream out;

    public RawHttpsClient(SSLContext context, int port) throws IOException {
        this(context, port, null);
    }

    /** A client whose socket is bound to {@code local} (another loopback address, say 127.0.1.2), or any if null. */
    public RawHttpsClient(SSLContext context, int port, java.net.InetAddress local) throws IOException {
        socket = (SSLSocket) context.getSocketFactory().createSocket();
        if (local != null) {
            socket.bind(new InetSocketAddress(local, 0));
        }
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(20_000);
        socket.startHandshake();
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    public void send(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    public OutputStream output() {
        return out;
    }

    public InputStream input() {
        return in;
    }

    public SSLSocket socket() {
        return socket;
    }

    /** A response head: status and headers (lower-case names). */
    public record Head(int status, Map<String, String> headers) {
        public long contentLength() {
            return Long.parseLong(headers.getOrDefault("content-length", "-1"));
        }
    }

    /** Reads a status line and headers. */
    public Head readHead() throws IOException {
        String status = line();
        if (status == null) {
            throw new IOException("connection closed before a response");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        String line;
        while ((line = line()) != null && !line.isEmpty()) {
            int colon = line.indexOf(':');
            headers.put(
                    line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                    line.substring(colon + 1).trim());
        }
        return new Head(Integer.parseInt(status.split(" ")[1]), headers);
    }

    /** Reads exactly {@code length} body bytes. */
    public byte[] readBody(long length) throws IOException {
        return in.readNBytes((int) length);
    }

    /** A chunked body and the trailer fields after it (lower-case names, in order). */
    public record Chunked(byte[] body, java.util.List<Map.Entry<String, String>> trailers) {}

    /** Reads a chunked body to its end, trailers included. */
    public Chunked readChunked() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String size = line();
            if (size == null) {
                throw new IOException("connection closed inside a chunked body");
            }
            int semicolon = size.indexOf(';');
            int length = Integer.parseInt((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
            if (length == 0) {
                break;
            }
            body.write(in.readNBytes(length));
            line();
        }
        java.util.List<Map.Entry<String, String>> trailers = new java.util.ArrayList<>();
        String line;
        while ((line = line()) != null && !line.isEmpty()) {
            int colon = line.indexOf(':');
            trailers.add(Map.entry(
                    line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                    line.substring(colon + 1).trim()));
        }
        return new Chunked(body.toByteArray(), trailers);
    }

    /** Whether the server closed the connection (read returns end of stream) within the socket timeout. */
    public boolean closedByServer() {
        try {
            return in.read() < 0;
        } catch (java.net.SocketTimeoutException e) {
            return false; // still open when the timeout ran out
        } catch (IOException e) {
            return true; // reset
        }
    }

    private String line() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                byte[] raw = bytes.toByteArray();
                int length = raw.length > 0 && raw[raw.length - 1] == '\r' ? raw.length - 1 : raw.length;
                return new String(raw, 0, length, StandardCharsets.ISO_8859_1);
            }
            bytes.write(b);
        }
        return bytes.size() == 0 ? null : bytes.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
