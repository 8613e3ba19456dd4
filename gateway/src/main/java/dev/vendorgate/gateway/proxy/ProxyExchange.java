package dev.vendorgate.gateway.proxy;

import dev.vendorgate.gateway.http.ProblemType;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.time.Instant;

/**
 * One request forwarded to an upstream and its response streamed back, with backpressure both
 * ways: the vendor's body is read only as fast as the upstream takes it, and the upstream's
 * response only as fast as the vendor takes it, so a multi-GiB transfer uses a few buffers.
 * Confined to the vendor connection's event loop.
 */
public final class ProxyExchange {

    private final ChannelHandlerContext inbound;
    private final ExchangeRequest request;
    private final UpstreamPool pool;
    private final ExchangeOwner owner;
    private final HttpRequest upstreamHead;
    private final boolean bodyExpected;
    private final boolean clientKeepAlive;

    private UpstreamConnection upstream;
    private ResponseDeadlines.Wait responseTimer;
    /** The vendor's response head, until its body's first piece or the end of the read that brought it. */
    private HttpResponse heldHead;

    private boolean responseStarted;
    private boolean responseComplete;
    private boolean waitingForInboundWritable;
    private boolean retried;
    private boolean upstreamKeepAlive;
    private boolean finished;
    private EndReason endReason;
    private int status;
    private long sentNanos;
    private long upstreamNanos = -1;
    private final BodyBudget budget;
    private final RequestLeg requestLeg;

    public ProxyExchange(
            ChannelHandlerContext inbound, ExchangeRequest request, UpstreamPool pool, ExchangeOwner owner) {
        this.inbound = inbound;
        this.request = request;
        this.pool = pool;
        this.owner = owner;
        this.upstreamHead = UpstreamRequests.head(request);
        this.bodyExpected =
                HttpUtil.isTransferEncodingChunked(upstreamHead) || HttpUtil.getContentLength(upstreamHead, 0L) > 0;
        this.clientKeepAlive = request.http2() || HttpUtil.isKeepAlive(request.head());
        this.budget = new BodyBudget(request);
        this.requestLeg = new RequestLeg(owner::readMore, () -> {
            startResponseTimer();
            completeIfDone();
        });
    }

    public ExchangeRequest request() {
        return request;
    }

    /** The status sent to the vendor, or 0 if none yet. */
    public int status() {
        return status;
    }

    /** Request body bytes received from the vendor. */
    public long bytesIn() {
        return budget.bytesIn();
    }

    /** Response body bytes sent to the vendor. */
    public long bytesOut() {
        return budget.bytesOut();
    }

    /** Time from the request head sent upstream to the response head back, or -1 if none came. */
    public long upstreamNanos() {
        return upstreamNanos;
    }

    public boolean isFinished() {
        return finished;
    }

    /** Starts forwarding: borrows an upstream connection. */
    public void start() {
        pool.acquire(request.upstream(), this);
    }

    // ---- upstream connection -------------------------------------------------------------

    void onUpstreamConnected(UpstreamConnection connection) {
        if (finished) {
            pool.release(connection);
            return;
        }
        upstream = connection;
        connection.lease(this);
        Channel channel = connection.channel();
        // a failed write fires exceptionCaught on the upstream pipeline, which ends the exchange (the void promise
        // does what a listener FIRE_EXCEPTION_ON_FAILURE did, without a promise per write); the request leg sends
        // what it holds after the head and flushes both at once
        channel.write(upstreamHead, channel.voidPromise());
        sentNanos = System.nanoTime();
        channel.read();
        requestLeg.connected(channel);
    }

    void onUpstreamConnectFailed(Throwable cause) {
        if (finished) {
            return;
        }
        if (cause instanceof ConnectTimeoutException) {
            fail(
                    ProblemType.UPSTREAM_TIMEOUT,
                    "Upstream '" + request.upstream().id() + "' did not accept a connection in time.");
        } else {
            fail(
                    ProblemType.UPSTREAM_UNAVAILABLE,
                    "Upstream '" + request.upstream().id() + "' is not accepting connections.");
        }
    }

    // ---- vendor -> upstream ---------------------------------------------------------------

    /** A piece of the vendor's request body (the last piece is a {@link LastHttpContent}). */
    public void onRequestContent(HttpContent content) {
        if (finished) {
            content.release();
            return;
        }
        BodyBudget.Crossing crossing = budget.in(content.content().readableBytes());
        if (crossing != null) {
            content.release();
            overBudget(crossing);
            return;
        }
        requestLeg.onContent(content instanceof LastHttpContent last ? UpstreamRequests.requestLast(last) : content);
    }

    void onUpstreamWritable() {
        if (!finished) {
            requestLeg.onUpstreamWritable();
        }
    }

    /** A limit was crossed: refuse the request if nothing was sent back yet, else cut the transfer. */
    private void overBudget(BodyBudget.Crossing crossing) {
        endReason = crossing.reason();
        if (!responseStarted) {
            closeUpstream();
            fail(crossing.type(), crossing.detail());
        } else {
            abort();
        }
    }

    /** Why the exchange ended early, for the audit record, or null. */
    public EndReason endReason() {
        return endReason;
    }

    private void startResponseTimer() {
        if (responseStarted) {
            return;
        }
        cancelResponseTimer(); // a retry on a fresh connection waits afresh
        responseTimer = pool.deadlines(request.upstream()).start(() -> {
            responseTimer = null;
            if (!responseStarted && !finished) {
                closeUpstream();
                fail(
                        ProblemType.UPSTREAM_TIMEOUT,
                        "Upstream '" + request.upstream().id() + "' did not respond in time.");
            }
        });
    }

    // ---- upstream -> vendor ---------------------------------------------------------------

    void onUpstreamRead(Object msg) {
        if (finished) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpResponse response) {
            if (response.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
                ReferenceCountUtil.release(msg); // 1xx: Expect is answered by the gateway itself
                return;
            }
            if (!response.decoderResult().isSuccess()) {
                ReferenceCountUtil.release(msg);
                closeUpstream();
                fail(
                        ProblemType.UPSTREAM_ERROR,
                        "Upstream '" + request.upstream().id() + "' sent an invalid response.");
                return;
            }
            onResponseHead(response);
        }
        if (msg instanceof HttpContent content) {
            if (!responseStarted) {
                content.release();
                return;
            }
            BodyBudget.Crossing crossing = budget.out(content.content().readableBytes());
            if (crossing != null) {
                content.release();
                overBudget(crossing);
                return;
            }
            if (content instanceof LastHttpContent last) {
                responseComplete = true;
                LastHttpContent end = UpstreamRequests.responseLast(last);
                HttpResponse head = heldHead;
                heldHead = null;
                // a response read whole (a small body in the read that brought the head) goes out as one message
                Object message = head != null ? UpstreamRequests.whole(head, end) : end;
                inbound.writeAndFlush(message).addListener(f -> {
                    if (!f.isSuccess()) {
                        abort();
                    }
                });
                completeIfDone();
            } else {
                writeHeldHead();
                inbound.write(content);
            }
        }
    }

    private void onResponseHead(HttpResponse response) {
        Instant now = request.limiter().now(); // one reading of each clock for the head's checks and fields
        long nanos = System.nanoTime();
        BodyBudget.Crossing declared = budget.declaredOut(response, now);
        if (declared != null) { // refused before any byte rather than cut in the middle
            endReason = declared.reason();
            closeUpstream();
            fail(declared.type(), declared.detail());
            return;
        }
        cancelResponseTimer();
        responseStarted = true;
        upstreamNanos = nanos - sentNanos;
        status = response.status().code();
        upstreamKeepAlive = HttpUtil.isKeepAlive(response);
        // held until the body's first piece: a response whose body came in the same read is written as one
        heldHead = UpstreamRequests.responseFor(request, response, clientKeepAlive, nanos, now);
    }

    private void writeHeldHead() {
        if (heldHead != null) {
            HttpResponse head = heldHead;
            heldHead = null;
            inbound.write(head);
        }
    }

    void onUpstreamReadComplete() {
        if (finished) {
            return;
        }
        writeHeldHead();
        inbound.flush();
        if (responseComplete) {
            return;
        }
        if (inbound.channel().isWritable()) {
            upstream.channel().read();
        } else {
            waitingForInboundWritable = true;
        }
    }

    /** The vendor's connection or stream can take more bytes again. */
    public void onInboundWritable() {
        if (waitingForInboundWritable && !finished && upstream != null) {
            waitingForInboundWritable = false;
            upstream.channel().read();
        }
    }

    // ---- endings ----------------------------------------------------------------------------

    private void completeIfDone() {
        if (!responseComplete || finished) {
            return;
        }
        if (requestLeg.complete() && requestLeg.sent()) {
            UpstreamConnection connection = upstream;
            upstream = null;
            finished = true;
            if (upstreamKeepAlive && connection.channel().isActive()) {
                pool.release(connection);
            } else {
                connection.unlease();
                connection.channel().close();
            }
            owner.finished(this, clientKeepAlive);
        } else {
            // the upstream answered before the vendor finished sending: neither side can be reused
            finished = true;
            closeUpstream();
            owner.finished(this, false);
        }
    }

    void onUpstreamIdle() {
        if (finished) {
            return;
        }
        closeUpstream();
        if (responseStarted) {
            endReason = EndReason.UPSTREAM_STALLED;
            abort();
        } else {
            fail(ProblemType.UPSTREAM_TIMEOUT, "Upstream '" + request.upstream().id() + "' stopped responding.");
        }
    }

    void onUpstreamClosed(Throwable cause) {
        if (finished) {
            return;
        }
        boolean stale = upstream != null && upstream.reused() && !responseStarted && !bodyExpected && !retried;
        upstream = null;
        requestLeg.disconnected(stale);
        if (stale) {
            // a pooled connection the upstream had just closed: safe to send the bodiless request again
            retried = true;
            cancelResponseTimer();
            pool.acquire(request.upstream(), this);
            return;
        }
        if (responseStarted) {
            endReason = EndReason.UPSTREAM_CLOSED;
            abort();
        } else {
            fail(
                    ProblemType.UPSTREAM_ERROR,
                    "Upstream '" + request.upstream().id() + "' closed the connection before responding.");
        }
    }

    /** The vendor's body framing broke: cut the upstream off so it never sees the request end. */
    public void onRequestBroken() {
        onRequestRefused(ProblemType.BAD_REQUEST, "The request body is malformed.");
    }

    /**
     * The end of the vendor's request (its trailers, say) is refused: cut the upstream off so it
     * never sees the request end, then answer with the problem, or cut the vendor off too if the
     * response has already begun.
     */
    public void onRequestRefused(ProblemType type, String detail) {
        if (finished) {
            return;
        }
        closeUpstream();
        if (responseStarted) {
            endReason = EndReason.of(type);
            abort();
        } else {
            fail(type, detail);
        }
    }

    /** The vendor went away: stop and give nothing back to the pool that may hold a partial exchange. */
    public void onInboundClosed() {
        if (finished) {
            return;
        }
        finished = true;
        cancelResponseTimer();
        releasePending();
        closeUpstream();
    }

    private void fail(ProblemType type, String detail) {
        if (finished) {
            return;
        }
        finished = true;
        cancelResponseTimer();
        releasePending();
        status = type.status().code();
        owner.respondWithProblem(this, type, detail);
    }

    private void abort() {
        if (finished) {
            return;
        }
        finished = true;
        cancelResponseTimer();
        releasePending();
        closeUpstream();
        owner.abort(this);
    }

    /** Ends the exchange from outside (kill switch, shutdown): cuts both sides now. */
    public void cut() {
        abort();
    }

    private void closeUpstream() {
        requestLeg.disconnected(false);
        if (upstream != null) {
            UpstreamConnection connection = upstream;
            upstream = null;
            connection.unlease();
            connection.channel().close();
        }
    }

    private void cancelResponseTimer() {
        if (responseTimer != null) {
            responseTimer.cancel();
            responseTimer = null;
        }
    }

    private void releasePending() {
        heldHead = null; // a head holds no buffer
        requestLeg.release();
    }
}
