package dev.vendorgate.gateway.frontend;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;

/**
 * Reads the frame headers of an HTTP/2 connection on their way to the codec, for one rule the
 * codec is lenient about: a client that sends HEADERS on a stream identifier lower than one it
 * has used, for a stream it never opened, is a connection error of type PROTOCOL_ERROR (RFC
 * 9113, section 5.1.1), where the codec only resets that stream. Skips the payloads and passes
 * every byte on unchanged.
 */
final class Http2StreamOrder extends ChannelInboundHandlerAdapter {

    private static final int PREFACE = 24;
    private static final int HEADERS = 0x1;
    /** Streams opened lately, whose HEADERS the codec may not have read yet (trailers may follow at once). */
    private static final int RECENT = 1024;

    private final Http2Connection connection;
    private final byte[] header = new byte[9];
    private final ArrayDeque<Integer> recentOrder = new ArrayDeque<>();
    private final Set<Integer> recent = new HashSet<>();
    private int prefaceLeft = PREFACE;
    private long payloadLeft;
    private int headerFilled;
    private int highest;
    private boolean failed;

    Http2StreamOrder(Http2Connection connection) {
        this.connection = connection;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (failed) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof ByteBuf bytes) {
            int index = bytes.readerIndex();
            int end = bytes.writerIndex();
            while (index < end) {
                if (prefaceLeft > 0) {
                    int skip = Math.min(prefaceLeft, end - index);
                    prefaceLeft -= skip;
                    index += skip;
                } else if (payloadLeft > 0) {
                    int skip = (int) Math.min(payloadLeft, end - index);
                    payloadLeft -= skip;
                    index += skip;
                } else {
                    header[headerFilled++] = bytes.getByte(index++);
                    if (headerFilled == header.length) {
                        headerFilled = 0;
                        payloadLeft = (header[0] & 0xffL) << 16 | (header[1] & 0xffL) << 8 | (header[2] & 0xffL);
                        int streamId = (header[5] & 0x7f) << 24
                                | (header[6] & 0xff) << 16
                                | (header[7] & 0xff) << 8
                                | (header[8] & 0xff);
                        if ((header[3] & 0xff) == HEADERS && streamId % 2 == 1 && !allowed(streamId)) {
                            failed = true;
                            bytes.release();
                            ctx.fireExceptionCaught(Http2Exception.connectionError(
                                    Http2Error.PROTOCOL_ERROR,
                                    "HEADERS on stream %d after stream %d: stream identifiers must increase",
                                    streamId,
                                    highest));
                            return;
                        }
                    }
                }
            }
        }
        ctx.fireChannelRead(msg);
    }

    /** HEADERS may open a higher stream, or carry trailers for one opened before and not closed. */
    private boolean allowed(int streamId) {
        if (streamId > highest) {
            highest = streamId;
            recent.add(streamId);
            recentOrder.add(streamId);
            if (recentOrder.size() > RECENT) {
                recent.remove(recentOrder.poll());
            }
            return true;
        }
        if (recent.contains(streamId)) {
            return true; // opened by this client; if it has closed since, the codec answers as for any closed stream
        }
        Http2Stream stream = connection.stream(streamId);
        return stream != null && stream.state() != Http2Stream.State.CLOSED;
    }
}
