package dev.vendorgate.gateway.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.stream.ChunkedInput;
import java.util.function.IntUnaryOperator;
import java.util.function.LongConsumer;

/**
 * A response body of deterministic bytes, generated in 64 KiB chunks as the connection takes them,
 * so that any size costs no memory: for the demo's and the load tests' upstreams and the tests'
 * (wrap it in {@link io.netty.handler.codec.http.HttpChunkedInput} to write it after a response head).
 * Byte {@code i} of the body is {@code pattern.byteAt(i % pattern.period())}.
 */
public final class GeneratedBytes implements ChunkedInput<ByteBuf> {

    private static final int CHUNK = 64 * 1024;

    /** What the bytes repeat: {@code period} bytes, laid out once long enough to copy any chunk at any phase. */
    public static final class Pattern {
        private final int period;
        private final byte[] laidOut;

        private Pattern(int period, byte[] laidOut) {
            this.period = period;
            this.laidOut = laidOut;
        }

        /** The pattern of {@code period} bytes whose byte {@code j} is {@code (byte) byteAt.applyAsInt(j)}. */
        public static Pattern of(int period, IntUnaryOperator byteAt) {
            if (period <= 0) {
                throw new IllegalArgumentException("period must be positive");
            }
            byte[] laidOut = new byte[CHUNK + period];
            for (int j = 0; j < laidOut.length; j++) {
                laidOut[j] = (byte) byteAt.applyAsInt(j % period);
            }
            return new Pattern(period, laidOut);
        }

        public int period() {
            return period;
        }

        public byte byteAt(long index) {
            return laidOut[(int) (index % period)];
        }
    }

    private final long size;
    private final Pattern pattern;
    private final LongConsumer sentBytes;
    private long sent;

    /** {@code size} bytes of {@code pattern}; {@code sentBytes} hears of each chunk handed to the connection. */
    public GeneratedBytes(long size, Pattern pattern, LongConsumer sentBytes) {
        this.size = size;
        this.pattern = pattern;
        this.sentBytes = sentBytes;
    }

    public GeneratedBytes(long size, Pattern pattern) {
        this(size, pattern, n -> {});
    }

    @Override
    public boolean isEndOfInput() {
        return sent >= size;
    }

    @Override
    public void close() {
        sent = size;
    }

    @Deprecated
    @Override
    public ByteBuf readChunk(ChannelHandlerContext ctx) {
        return readChunk(ctx.alloc());
    }

    @Override
    public ByteBuf readChunk(ByteBufAllocator allocator) {
        if (isEndOfInput()) {
            return null;
        }
        int length = (int) Math.min(CHUNK, size - sent);
        ByteBuf chunk = allocator.buffer(length);
        chunk.writeBytes(pattern.laidOut, (int) (sent % pattern.period), length);
        sent += length;
        sentBytes.accept(length);
        return chunk;
    }

    @Override
    public long length() {
        return size;
    }

    @Override
    public long progress() {
        return sent;
    }
}
