package dev.vendorgate.gateway.frontend;

import dev.vendorgate.gateway.audit.AuditEntry;
import dev.vendorgate.gateway.http.ProblemResponse;
import dev.vendorgate.gateway.http.ProblemType;
import dev.vendorgate.gateway.http.RequestHeadRules;
import dev.vendorgate.gateway.http.RequestIds;
import dev.vendorgate.gateway.proxy.EndReason;
import dev.vendorgate.gateway.proxy.ExchangeOwner;
import dev.vendorgate.gateway.proxy.ExchangeRequest;
import dev.vendorgate.gateway.proxy.ProxyExchange;
import dev.vendorgate.gateway.runtime.GatewayState;
import dev.vendorgate.gateway.tripwire.TripwireWatch;
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
    /** What the current request holds: its audit entry, its in-flight slot, its count as an exchange. */
    private RequestLease lease;
    /** A request for one of the gateway's own endpoints, while its body arrives. */
    private LocalRequest local;
    /** The connection cannot carry another request after this one (broken framing, refused trailers). */
    private boolean untrusted;

    private boolean currentComplete;
    /** Dropping the body of a refused request. */
    private final BodyDrain drain = new BodyDrain();

    private ReadGate reads;
    private final BodyWatch bodyWatch;

    VendorRequestHandler(GatewayState state, Admission admission, boolean http2) {
        this.state = state;
        this.admission = admission;
        this.http2 = http2;
        this.bodyWatch = new BodyWatch(admission.bodyTimeout());
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.reads = new ReadGate(ctx);
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
        reads.start();
    }

    private void readNextRequest() {
        reads.next();
    }

    @Override
    public void readMore() {
        reads.read();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        reads.readComplete();
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        reads.arrived();
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
        currentId = RequestIds.next(state.clock());
        currentComplete = complete;
        if (!complete) {
            bodyWatch.start(ctx, () -> current != null && !currentComplete, reads::pending, this::onBodyTimeout);
        }
        VendorConnection connection = connection();
        boolean parsed = request.decoderResult().isSuccess(); // a failed head's method and target are placeholders
        lease = new RequestLease(
                state,
                connection,
                new AuditEntry(
                        state.clock().instant(),
                        currentId,
                        http2 ? "h2" : "h1",
                        connection.remoteText(),
                        parsed ? request.method().name() : null,
                        parsed ? request.uri() : null));
        try {
            admit(request, connection);
        } catch (RuntimeException e) {
            failedInside(e);
        }
    }

    private void admit(HttpRequest request, VendorConnection connection) {
        Admission.Verdict verdict = admission.admit(request, currentId, connection, http2, lease);
        java.util.concurrent.CompletableFuture<TripwireWatch.CanaryAnswer> canary =
                admission.tripwires().canary(lease.entry(), ctx.channel(), connection.remote());
        if (canary != null) { // a canary: answered once the trip's suspension is done (see afterCanary)
            canary.thenAccept(answer -> ctx.executor().execute(() -> {
                try {
                    afterCanary(request, verdict, answer);
                } catch (RuntimeException e) {
                    failedInside(e);
                }
            }));
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
            // the refusal closes the request's lease, which gives back the slot an admitted request holds
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
            refuse(
                    refused.type(),
                    refused.detail(),
                    refused.allow(),
                    refused.fatal(),
                    refused.reason(),
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
            ctx.writeAndFlush(new DefaultFullHttpResponse(
                    HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE, Unpooled.EMPTY_BUFFER));
        }
        exchange = new ProxyExchange(ctx, admitted, state.pool(ctx.channel().eventLoop()), this);
        lease.exchangeStarted();
        exchange.start();
    }

    /**
     * Something inside the gateway failed while handling the current request (a defect): the
     * request is recorded and answered 500 (or cut, if its answer had begun), what it held is
     * given back, and the connection closes, since its state can no longer be trusted.
     */
    private void failedInside(RuntimeException e) {
        LOG.log(Level.WARNING, "request " + currentId + " failed inside the gateway; closing its connection", e);
        untrusted = true;
        currentComplete = true;
        releaseLocal();
        if (exchange != null) {
            boolean answered = exchange.isFinished() || exchange.status() > 0;
            exchange.onInboundClosed();
            endExchange(
                    EndReason.INTERNAL_ERROR,
                    ProblemType.INTERNAL_ERROR.status().code());
            if (answered) {
                ctx.close();
                return;
            }
        }
        if (lease != null && !lease.closed()) {
            lease.close(
                    "deny",
                    ProblemType.INTERNAL_ERROR.code(),
                    ProblemType.INTERNAL_ERROR.status().code(),
                    0,
                    0);
        }
        if (current != null && ctx.channel().isActive()) {
            writeProblem(
                    ProblemType.INTERNAL_ERROR,
                    "The gateway failed to handle this request; it was recorded. " + "Retry on a new connection.",
                    Set.of(),
                    BodyDrain.After.CLOSE,
                    Map.of());
        } else {
            ctx.close();
        }
    }

    private void onBodyTimeout() {
        LOG.log(
                Level.FINE,
                () -> "request " + currentId + ": the body made no progress for " + admission.bodyTimeout()
                        + "; closing");
        untrusted = true;
        currentComplete = true;
        if (local != null) {
            releaseLocal();
            refuse(
                    ProblemType.BODY_TIMEOUT,
                    "The request body did not arrive in time.",
                    Set.of(),
                    true,
                    ProblemType.BODY_TIMEOUT.code(),
                    Map.of());
        } else if (exchange != null && !exchange.isFinished()) {
            exchange.onInboundClosed();
            endExchange(
                    EndReason.BODY_TIMEOUT, ProblemType.BODY_TIMEOUT.status().code());
            ctx.close();
        } else {
            ctx.close();
        }
    }

    private void onContent(HttpContent content) {
        bodyWatch.progressed();
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
            default -> {}
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
            refuse(
                    ProblemType.BAD_REQUEST,
                    "The request body is malformed.",
                    Set.of(),
                    true,
                    ProblemType.BAD_REQUEST.code(),
                    Map.of());
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
            refuse(
                    ProblemType.PAYLOAD_TOO_LARGE,
                    "Token requests are limited to " + LocalEndpoints.MAX_FORM_BYTES + " bytes.",
                    Set.of(),
                    false,
                    ProblemType.PAYLOAD_TOO_LARGE.code(),
                    Map.of());
        } else if (last) {
            answerLocally();
        } else {
            readMore();
        }
    }

    /** Answers a request for one of the gateway's own endpoints once its body is in. */
    private void answerLocally() {
        FullHttpResponse response;
        try {
            response = local.answer(state, current, connection(), lease, ctx.alloc());
        } catch (RuntimeException e) {
            failedInside(e);
            return;
        }
        releaseLocal();
        response.headers().set(ProblemResponse.REQUEST_ID_HEADER, currentId);
        boolean keepAlive = http2 || HttpUtil.isKeepAlive(current);
        if (!keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        ChannelFuture written = ctx.writeAndFlush(response);
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
    private void refuse(
            ProblemType type,
            String detail,
            Set<String> allow,
            boolean fatal,
            String reason,
            Map<String, String> headers) {
        LOG.log(Level.FINE, () -> "request " + currentId + " refused: " + reason);
        lease.close(
                "deny",
                reason,
                onTokenEndpoint()
                        ? OAuthErrors.of(type).status()
                        : type.status().code(),
                0,
                0);
        writeProblem(type, detail, allow, BodyDrain.afterRefusal(http2, currentComplete, current, fatal), headers);
    }

    /** Whether the current request is for the token endpoint, whose errors are RFC 6749's. */
    private boolean onTokenEndpoint() {
        return current != null && LocalEndpoints.isTokenEndpoint(current.uri(), state.snapshot());
    }

    private ChannelFuture writeProblem(
            ProblemType type, String detail, Set<String> allow, BodyDrain.After after, Map<String, String> headers) {
        // the token endpoint speaks RFC 6749 to OAuth clients, also for refusals made before the issuer
        FullHttpResponse response = onTokenEndpoint()
                ? OAuthErrors.forProblem(ctx.alloc(), type, detail)
                : ProblemResponse.build(ctx.alloc(), type, detail, currentId, allow);
        response.headers().set(ProblemResponse.REQUEST_ID_HEADER, currentId);
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
        EndReason reason = finishedExchange.endReason();
        endExchange(reason != null ? reason : EndReason.of(type), type.status().code());
        LOG.log(Level.FINE, () -> "request " + currentId + " failed: " + type.code() + ": " + detail);
        writeProblem(
                type,
                detail,
                Set.of(),
                BodyDrain.afterFailure(http2, currentComplete, current, untrusted || state.draining()),
                Map.of());
    }

    private VendorConnection connection() {
        return VendorConnection.of(ctx.channel());
    }

    /** Forgets the current exchange, once, recording how it ended (null: completed). */
    private void endExchange(EndReason reason, int status) {
        if (exchange != null) {
            String upstream = exchange.request().route().upstream();
            if (exchange.upstreamNanos() >= 0) {
                state.metrics().upstreamResponded(upstream, exchange.upstreamNanos());
            }
            if (reason != null && reason.upstreamFault()) {
                state.metrics().upstreamError(upstream, reason.code());
            }
            ProxyExchange ended = exchange;
            admission.tripwires().ended(ended.request(), ended.bytesOut());
            exchange = null;
            lease.close("allow", reason == null ? null : reason.code(), status, ended.bytesIn(), ended.bytesOut());
        }
    }

    @Override
    public void abort(ProxyExchange abortedExchange) {
        EndReason reason = abortedExchange.endReason();
        endExchange(reason != null ? reason : EndReason.ABORTED, abortedExchange.status());
        current = null;
        ctx.close();
    }

    @Override
    public void finished(ProxyExchange finishedExchange, boolean reusable) {
        endExchange(null, finishedExchange.status());
        current = null;
        if (http2) {
            // the stream ended with the response; a draining connection closes with its last stream
            if ((state.draining() || connection().closingWhenIdle())
                    && !connection().busy()) {
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
        reads.writabilityChanged();
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        bodyWatch.stop();
        releaseLocal();
        EndReason reason = connection().cut() ? EndReason.VENDOR_SUSPENDED : EndReason.CONNECTION_CLOSED;
        if (exchange != null) {
            exchange.onInboundClosed();
            endExchange(reason, exchange.status());
        }
        if (lease != null && !lease.closed()) {
            // a local request whose body never came, or an answer not yet written
            lease.close("deny", reason.code(), 0, 0, 0);
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
            endExchange(EndReason.CONNECTION_ERROR, exchange.status());
        }
        if (lease != null && !lease.closed()) {
            lease.close("deny", EndReason.CONNECTION_ERROR.code(), 0, 0, 0);
        }
        ctx.close();
    }
}
