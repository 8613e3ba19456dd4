package dev.vendorgate.gateway.frontend;

import dev.vendorgate.gateway.audit.AuditEntry;
import dev.vendorgate.gateway.http.ProblemResponse;
import dev.vendorgate.gateway.http.ProblemType;
import dev.vendorgate.gateway.http.RequestHeadRules;
import dev.vendorgate.gateway.http.RequestIds;
import dev.vendorgate.gateway.proxy.ExchangeOwner;
import dev.vendorgate.gateway.proxy.ExchangeRequest;
import dev.vendorgate.gateway.proxy.ProxyExchange;
import dev.vendorgate.gateway.runtime.GatewayState;
import dev.vendorgate.gateway.tripwire.TripwireWatch;
import dev.vendorgate.policy.Vendor;
import dev.vendorgate.policy.VendorStatus;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Handles the requests of one HTTP/1.1 connection or one HTTP/2 stream, one at a time: checks
 * each against the vendor's identity and the policy, answers refusals with a problem, and hands
 * allowed requests to a {@link ProxyExchange}. Reads are explicit: the next message is read only
 * when the current one has been dealt with.
 */
final class VendorRequestHandler extends ChannelInboundHandlerAdapter implements ExchangeOwner {

    private static final Logger LOG = Logger.getLogger(VendorRequestHandler.class.getName());

    private final GatewayState state;
    private final Admission admission;
    private final boolean http2;
    private ChannelHandlerContext ctx;
    private ProxyExchange exchange;
    /** The current request, between its head and the end of its response. */
    private HttpRequest current;
    private String currentId;
    private AuditEntry entry;
    /** A request for one of the gateway's own endpoints, while its body arrives. */
    private LocalRequest local;
    /** The connection cannot carry another request after this one (broken framing, refused trailers). */
    private boolean untrusted;
    private boolean currentComplete;
    /** Dropping the body of a refused request. */
    private final BodyDrain drain = new BodyDrain();
    private boolean started;
    /** A read() was asked for and no message has come of it yet. */
    private boolean readPending;
    /** The next request is to be read once the channel is writable again. */
    private boolean readWhenWritable;
    /** When the current request's body last made progress, while it is incomplete. */
    private long bodyProgressNanos;
    private java.util.concurrent.ScheduledFuture<?> bodyWatch;

    VendorRequestHandler(GatewayState state, Admission admission, boolean http2) {
        this.state = state;
        this.admission = admission;
        this.http2 = http2;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        if (ctx.channel().isActive()) {
            startReading();
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        startReading();
        ctx.fireChannelActive();
    }

    private void startReading() {
        if (!started) {
            started = true;
            readMore();
        }
    }

    /**
     * Reads the next request only once the answers so far have left: while the channel is not
     * writable (its outbound buffer above the high water mark: a vendor that pipelines requests
     * and never reads the answers) reading waits for {@link #channelWritabilityChanged}, so no
     * answer path, refused, local or proxied, can queue responses without bound.
     */
    private void readNextRequest() {
        if (ctx.channel().isWritable()) {
            readMore();
        } else {
            readWhenWritable = true;
        }
    }

    /** Asks for the next message; re-asked at read-complete if that read produced nothing. */
    @Override
    public void readMore() {
        readPending = true;
        ctx.read();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        // a read may end without a whole message (a partial TLS record, a header still arriving)
        if (readPending) {
            ctx.read();
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        readPending = false;
        if (msg instanceof FullHttpRequest full) {
            // HTTP/2 HEADERS with END_STREAM: split into a head and an empty (or small) last piece
            LastHttpContent last = new DefaultLastHttpContent(full.content().retain(), full.trailingHeaders());
            full.release();
            onRequest(full, true);
            onContent(last);
        } else if (msg instanceof HttpRequest request) {
            onRequest(request, false);
        } else if (msg instanceof HttpContent content) {
            onContent(content);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    private void onRequest(HttpRequest request, boolean complete) {
        current = request;
        currentId = RequestIds.next();
        currentComplete = complete;
        if (!complete) {
            watchBody();
        }
        VendorConnection connection = connection();
        boolean parsed = request.decoderResult().isSuccess(); // a failed head's method and target are placeholders
        entry = new AuditEntry(currentId, http2 ? "h2" : "h1", connection.remote(), parsed ? request.method().name() : null,
                parsed ? request.uri() : null);
        Admission.Verdict verdict = admission.admit(request, currentId, connection, http2, entry);
        java.util.concurrent.CompletableFuture<TripwireWatch.CanaryAnswer> canary =
                TripwireWatch.canary(state, entry, ctx.channel(), connection.remote());
        if (canary != null) { // a canary: answered once the trip's suspension is done (see afterCanary)
            canary.thenAccept(answer -> ctx.executor().execute(() -> afterCanary(request, verdict, answer)));
            return;
        }
        proceed(request, verdict);
    }

    /**
     * Answers a request that touched a canary, its trip done: as the policy says, a 404 that looks
     * like any missing object or the upstream's answer; the connection closes after it.
     */
    private void afterCanary(HttpRequest request, Admission.Verdict verdict, TripwireWatch.CanaryAnswer answer) {
        boolean upstream = answer.response() == dev.vendorgate.policy.Tripwires.CanaryResponse.UPSTREAM;
        if (!ctx.channel().isActive() || !upstream && verdict instanceof Admission.Verdict.Admitted) {
            if (verdict instanceof Admission.Verdict.Admitted admitted) {
                admitted.request().limiter().release();
            }
            // also on a connection already gone: the audit record says what the request did
            refuse(ProblemType.NOT_FOUND, "No such object.", Set.of(), answer.close(), "tripwire-canary", Map.of());
        } else {
            if (answer.close()) {
                connection().closeWhenIdle();
            }
            proceed(request, verdict);
        }
        if (answer.close() && http2) {
            ctx.channel().closeFuture().addListener(f -> ctx.channel().parent().close());
        }
    }

    private void proceed(HttpRequest request, Admission.Verdict verdict) {
        VendorConnection connection = connection();
        if (verdict instanceof Admission.Verdict.Refused refused) {
            refuse(refused.type(), refused.detail(), refused.allow(), refused.fatal(), refused.reason(),
                    refused.headers());
            return;
        }
        if (verdict instanceof Admission.Verdict.Local target) {
            local = new LocalRequest(target, ctx.alloc());
            if (currentComplete) {
                answerLocally();
            } else {
                readMore();
            }
            return;
        }
        ExchangeRequest admitted = ((Admission.Verdict.Admitted) verdict).request();
        if (HttpUtil.is100ContinueExpected(request)) {
            ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE,
                    Unpooled.EMPTY_BUFFER));
        }
        exchange = new ProxyExchange(ctx, admitted, state.pool(ctx.channel().eventLoop()), this);
        connection.exchangeStarted();
        state.exchangeStarted();
        exchange.start();
    }

    /**
     * Watches the body of the current request: one that makes no progress for the idle timeout
     * is answered 408 and its connection (or stream) closed, whatever the request is waiting for,
     * so a vendor cannot hold a connection with a body that never completes.
     */
    private void watchBody() {
        bodyProgressNanos = System.nanoTime();
        if (bodyWatch != null) {
            return;
        }
        long timeout = admission.bodyTimeout().toNanos();
        long period = Math.max(50, Math.min(1000, java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(timeout) / 4));
        bodyWatch = ctx.executor().scheduleAtFixedRate(() -> {
            if (current == null || currentComplete) {
                return;
            }
            if (!readPending) {
                // the gateway is not asking for the body now (an upstream slow to take it): that is not the vendor's delay
                bodyProgressNanos = System.nanoTime();
                return;
            }
            if (System.nanoTime() - bodyProgressNanos >= timeout) {
                stopWatchingBody();
                onBodyTimeout();
            }
        }, period, period, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    private void stopWatchingBody() {
        if (bodyWatch != null) {
            bodyWatch.cancel(false);
            bodyWatch = null;
        }
    }

    private void onBodyTimeout() {
        LOG.log(Level.FINE, () -> "request " + currentId + ": the body made no progress for "
                + admission.bodyTimeout() + "; closing");
        untrusted = true;
        currentComplete = true;
        if (local != null) {
            releaseLocal();
            refuse(ProblemType.BODY_TIMEOUT, "The request body did not arrive in time.", Set.of(), true,
                    ProblemType.BODY_TIMEOUT.code(), Map.of());
        } else if (exchange != null && !exchange.isFinished()) {
            exchange.onInboundClosed();
            endExchange(ProblemType.BODY_TIMEOUT.code(), ProblemType.BODY_TIMEOUT.status().code());
            ctx.close();
        } else {
            ctx.close();
        }
    }

    private void onContent(HttpContent content) {
        bodyProgressNanos = System.nanoTime();
        if (!content.decoderResult().isSuccess()) {
            content.release();
            onBrokenBody();
            return;
        }
        boolean last = content instanceof LastHttpContent;
        if (last) {
            currentComplete = true;
        }
        if (local != null) {
            collectLocal(content, last);
            return;
        }
        if (exchange != null && !exchange.isFinished()) {
            if (last && refusedTrailers((LastHttpContent) content)) {
                return;
            }
            exchange.onRequestContent(content);
            return;
        }
        int size = content.content().readableBytes();
        content.release();
        switch (drain.dropped(size, last)) {
            case CLOSE -> ctx.close();
            case READ -> readMore();
            default -> { }
        }
    }

    /**
     * The body's framing broke (a bad chunk size, say): the upstream must not see the request
     * end as if it were complete, and nothing after it on this connection can be trusted.
     */
    private void onBrokenBody() {
        untrusted = true;
        currentComplete = true;
        if (local != null) {
            releaseLocal();
            refuse(ProblemType.BAD_REQUEST, "The request body is malformed.", Set.of(), true,
                    ProblemType.BAD_REQUEST.code(), Map.of());
        } else if (exchange != null && !exchange.isFinished()) {
            exchange.onRequestBroken();
        } else {
            ctx.close();
        }
    }

    /**
     * Refuses the request if its trailers carry a field a trailer must not: the upstream is cut off
     * before it sees the request end, and an HTTP/1.1 connection closes after the answer.
     */
    private boolean refusedTrailers(LastHttpContent last) {
        RequestHeadRules.Violation violation = admission.checkTrailers(last.trailingHeaders());
        if (violation == null) {
            return false;
        }
        last.release();
        untrusted = true;
        exchange.onRequestRefused(violation.type(), violation.detail());
        return true;
    }

    private void collectLocal(HttpContent content, boolean last) {
        if (!local.add(content)) {
            releaseLocal();
            refuse(ProblemType.PAYLOAD_TOO_LARGE, "Token requests are limited to " + LocalEndpoints.MAX_FORM_BYTES
                    + " bytes.", Set.of(), false, ProblemType.PAYLOAD_TOO_LARGE.code(), Map.of());
        } else if (last) {
            answerLocally();
        } else {
            readMore();
        }
    }

    /** Answers a request for one of the gateway's own endpoints once its body is in. */
    private void answerLocally() {
        Vendor vendor = local.target().vendor();
        // the issue time is taken before the status is read: a token dated after a suspension's cut-off
        // is one whose issuance saw the suspension on its way (GatewayState#suspending) or in force
        java.time.Instant now = state.clock().instant();
        VendorStatus status = state.suspending(vendor.id()) ? VendorStatus.SUSPENDED
                : state.control().effectiveStatus(vendor, now);
        LocalEndpoints.Answer answer = local.answer(current, connection(), status, now, ctx.alloc());
        releaseLocal();
        if (answer.jti() != null) {
            entry.token(answer.jti());
            state.metrics().tokenIssued(vendor.id());
        }
        entry.write(state.audit(), state.metrics(), answer.reason() == null ? "allow" : "deny", answer.reason(),
                answer.response().status().code(), 0, answer.response().content().readableBytes());
        answer.response().headers().set(ProblemResponse.REQUEST_ID_HEADER, currentId);
        boolean keepAlive = http2 || HttpUtil.isKeepAlive(current);
        if (!keepAlive) {
            answer.response().headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        ChannelFuture written = ctx.writeAndFlush(answer.response());
        current = null;
        if (!keepAlive) {
            written.addListener(ChannelFutureListener.CLOSE);
        } else if (!http2) {
            readNextRequest();
        }
    }

    private void releaseLocal() {
        if (local != null) {
            local.release();
            local = null;
        }
    }

    /**
     * Answers the current request with a problem.
     *
     * @param fatal whether the connection must close afterwards (identity or protocol failures)
     */
    private void refuse(ProblemType type, String detail, Set<String> allow, boolean fatal, String reason,
                        Map<String, String> headers) {
        LOG.log(Level.FINE, () -> "request " + currentId + " refused: " + reason);
        entry.write(state.audit(), state.metrics(), "deny", reason, type.status().code(), 0, 0);
        writeProblem(type, detail, allow, BodyDrain.afterRefusal(http2, currentComplete, current, fatal), headers);
    }

    private ChannelFuture writeProblem(ProblemType type, String detail, Set<String> allow, BodyDrain.After after,
                                       Map<String, String> headers) {
        FullHttpResponse response = ProblemResponse.build(ctx.alloc(), type, detail, currentId, allow);
        headers.forEach((name, value) -> response.headers().set(name, value));
        if (after != BodyDrain.After.NEXT_REQUEST && !http2) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        ChannelFuture written = ctx.writeAndFlush(response);
        current = null;
        switch (after) {
            case CLOSE -> written.addListener(ChannelFutureListener.CLOSE);
            case LINGER_THEN_CLOSE -> {
                drain.lingerThenClose(ctx, written);
                readMore();
            }
            case NEXT_REQUEST -> {
                if (!http2) {
                    drain.discardRest(currentComplete);
                    readNextRequest();
                }
            }
        }
        return written;
    }

    @Override
    public void respondWithProblem(ProxyExchange finishedExchange, ProblemType type, String detail) {
        String reason = finishedExchange.endReason();
        endExchange(reason != null ? reason : type.code(), type.status().code());
        LOG.log(Level.FINE, () -> "request " + currentId + " failed: " + type.code() + ": " + detail);
        writeProblem(type, detail, Set.of(), BodyDrain.afterFailure(http2, currentComplete, current,
                untrusted || state.draining()), Map.of());
    }

    private VendorConnection connection() {
        return VendorConnection.of(ctx.channel());
    }

    /** Forgets the current exchange, once, recording how it ended. */
    private void endExchange(String reason, int status) {
        if (exchange != null) {
            String upstream = exchange.request().route().upstream();
            if (exchange.upstreamNanos() >= 0) {
                state.metrics().upstreamResponded(upstream, exchange.upstreamNanos());
            }
            if (reason != null && reason.startsWith("upstream-") && !reason.equals("upstream-aborted")) {
                state.metrics().upstreamError(upstream, reason);
            }
            entry.write(state.audit(), state.metrics(), "allow", reason, status, exchange.bytesIn(), exchange.bytesOut());
            TripwireWatch.ended(state, exchange.request(), exchange.bytesOut());
            exchange.request().limiter().release();
            exchange = null;
            VendorConnection.of(ctx.channel()).exchangeEnded();
            state.exchangeEnded();
        }
    }

    @Override
    public void abort(ProxyExchange abortedExchange) {
        String reason = abortedExchange.endReason();
        endExchange(reason != null ? reason : "upstream-aborted", abortedExchange.status());
        current = null;
        ctx.close();
    }

    @Override
    public void finished(ProxyExchange finishedExchange, boolean reusable) {
        endExchange(null, finishedExchange.status());
        current = null;
        if (http2) {
            // the stream ended with the response; a draining connection closes with its last stream
            if ((state.draining() || connection().closingWhenIdle()) && !connection().busy()) {
                ctx.channel().parent().close();
            }
            return;
        }
        if (reusable && !state.draining() && !connection().closingWhenIdle()) {
            readNextRequest();
        } else {
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (exchange != null && ctx.channel().isWritable()) {
            exchange.onInboundWritable();
        }
        if (readWhenWritable && ctx.channel().isWritable()) {
            readWhenWritable = false;
            readMore();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        stopWatchingBody();
        releaseLocal();
        if (exchange != null) {
            exchange.onInboundClosed();
            String cut = connection().cutReason();
            endExchange(cut != null ? cut : "connection-closed", exchange.status());
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent && exchange == null && current == null) {
            ctx.close();
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.log(Level.FINE, "vendor connection error", cause);
        if (exchange != null) {
            exchange.onInboundClosed();
            endExchange("connection-error", exchange.status());
        }
        ctx.close();
    }
}
