package dev.vendorgate.gateway.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import io.netty.handler.codec.http2.Http2Headers;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Predicate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * HTTP/2 frame by frame over a raw TLS socket (ALPN h2), for tests that send what a normal client
 * never would: floods, resets, malformed headers, lying content-length.
 */
public final class RawH2Client implements AutoCloseable {

    public static final int DATA = 0;
    public static final int HEADERS = 1;
    public static final int RST_STREAM = 3;
    public static final int SETTINGS = 4;
    public static final int PING = 6;
    public static final int GOAWAY = 7;
    public static final int WINDOW_UPDATE = 8;
    public static final int CONTINUATION = 9;
    public static final int END_STREAM = 0x1;
    public static final int END_HEADERS = 0x4;
    public static final int ACK = 0x1;

    /** One frame as read. */
    public record Frame(int type, int flags, int streamId, byte[] payload) {
        public int errorCode() {
            ByteBuffer b = ByteBuffer.wrap(payload);
            return type == GOAWAY ? b.getInt(4) : b.getInt(0);
        }
    }

    private final SSLSocket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final DefaultHttp2HeadersEncoder encoder = new DefaultHttp2HeadersEncoder();
    private final DefaultHttp2HeadersDecoder decoder = new DefaultHttp2HeadersDecoder(false);

    public RawH2Client(SSLContext context, int port) throws IOException {
        socket = (SSLSocket) context.getSocketFactory().createSocket();
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setApplicationProtocols(new String[] {"h2"});
        socket.setSSLParameters(parameters);
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(10_000);
        socket.startHandshake();
        if (!"h2".equals(socket.getApplicationProtocol())) {
            throw new IOException("h2 not negotiated: " + socket.getApplicationProtocol());
        }
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
        out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        frame(SETTINGS, 0, 0, new byte[0]);
    }

    /** Request headers for {@code method} {@code path} (validation off: any name or value goes). */
    public static Http2Headers request(String method, String path) {
        return new DefaultHttp2Headers(false)
                .method(method)
                .path(path)
                .scheme("https")
                .authority("localhost");
    }

    public byte[] encode(int streamId, Http2Headers headers) throws IOException {
        ByteBuf buf = Unpooled.buffer();
        try {
            encoder.encodeHeaders(streamId, headers, buf);
            byte[] bytes = new byte[buf.readableBytes()];
            buf.readBytes(bytes);
            return bytes;
        } catch (Exception e) {
            throw new IOException(e);
        } finally {
            buf.release();
        }
    }

    public void headers(int streamId, Http2Headers headers, boolean endStream) throws IOException {
        frame(HEADERS, END_HEADERS | (endStream ? END_STREAM : 0), streamId, encode(streamId, headers));
    }

    public void data(int streamId, byte[] bytes, boolean endStream) throws IOException {
        frame(DATA, endStream ? END_STREAM : 0, streamId, bytes);
    }

    public void rst(int streamId, int code) throws IOException {
        frame(RST_STREAM, 0, streamId, ByteBuffer.allocate(4).putInt(code).array());
    }

    /** Writes one frame (without flushing through the TLS socket's buffering: each write is sent). */
    public void frame(int type, int flags, int streamId, byte[] payload) throws IOException {
        byte[] header = new byte[9];
        header[0] = (byte) (payload.length >>> 16);
        header[1] = (byte) (payload.length >>> 8);
        header[2] = (byte) payload.length;
        header[3] = (byte) type;
        header[4] = (byte) flags;
        ByteBuffer.wrap(header, 5, 4).putInt(streamId & 0x7fffffff);
        byte[] whole = new byte[9 + payload.length];
        System.arraycopy(header, 0, whole, 0, 9);
        System.arraycopy(payload, 0, whole, 9, payload.length);
        out.write(whole);
        out.flush();
    }

    /** The next frame; SETTINGS and PING from the server are acknowledged on the way. */
    public Frame read() throws IOException {
        int length = in.readUnsignedByte() << 16 | in.readUnsignedByte() << 8 | in.readUnsignedByte();
        int type = in.readUnsignedByte();
        int flags = in.readUnsignedByte();
        int streamId = in.readInt() & 0x7fffffff;
        byte[] payload = new byte[length];
        in.readFully(payload);
        if (type == SETTINGS && (flags & ACK) == 0) {
            frame(SETTINGS, ACK, 0, new byte[0]);
        }
        if (type == PING && (flags & ACK) == 0) {
            frame(PING, ACK, 0, payload);
        }
        return new Frame(type, flags, streamId, payload);
    }

    /** Reads frames until one matches; null when the connection ends first. */
    public Frame readUntil(Predicate<Frame> wanted) throws IOException {
        try {
            while (true) {
                Frame frame = read();
                if (wanted.test(frame)) {
                    return frame;
                }
            }
        } catch (EOFException | SocketTimeoutException e) {
            return null;
        } catch (IOException e) {
            return null; // reset
        }
    }

    /** The :status of a response HEADERS frame. */
    public int status(Frame headers) throws IOException {
        return Integer.parseInt(decode(headers).status().toString());
    }

    /**
     * The fields of a HEADERS frame (one with END_HEADERS). Frames must be decoded in the order
     * they came, since HPACK state carries from one to the next.
     */
    public Http2Headers decode(Frame headers) throws IOException {
        try {
            return decoder.decodeHeaders(headers.streamId(), Unpooled.wrappedBuffer(headers.payload()));
        } catch (Exception e) {
            throw new IOException(e);
        }
    }

    /** Whether the server closed the connection (after whatever frames it still sends). */
    public boolean closedByServer() {
        try {
            while (true) {
                read();
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
