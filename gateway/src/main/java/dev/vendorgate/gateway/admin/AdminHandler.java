package dev.vendorgate.gateway.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vendorgate.gateway.audit.AdminRecord;
import dev.vendorgate.gateway.control.ControlChange;
import dev.vendorgate.gateway.http.ProblemResponse;
import dev.vendorgate.gateway.http.ProblemType;
import dev.vendorgate.gateway.http.RequestIds;
import dev.vendorgate.gateway.runtime.GatewayState;
import dev.vendorgate.policy.Operator;
import dev.vendorgate.policy.PeerCertificate;
import dev.vendorgate.policy.Role;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslHandler;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The admin API over HTTP/1.1: identifies the operator by certificate, checks the role the call
 * needs, runs the call, answers JSON (errors as problem+json), and records every change, and
 * every refused attempt at one, in the audit trail with the operator and the reason.
 */
final class AdminHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final Logger LOG = Logger.getLogger(AdminHandler.class.getName());
    private static final Pattern VENDOR =
            Pattern.compile("/admin/vendors/([a-z0-9][a-z0-9._-]{0,62})(/suspend|/resume|/enroll|/end-probation)?");
    private static final Pattern TRIPWIRES = Pattern.compile("/admin/tripwires/([a-z0-9][a-z0-9._-]{0,62})");
    private static final Pattern REPORT = Pattern.compile("/v1/vendors/([a-z0-9][a-z0-9._-]{0,62})/report");
    /** A vendor's figures for the console: its traffic series, its clients and its tokens. */
    private static final Pattern VENDOR_VIEW =
            Pattern.compile("/admin/vendors/([a-z0-9][a-z0-9._-]{0,62})/(traffic|clients|tokens)");

    private final GatewayState state;
    private final AdminApi api;

    AdminHandler(GatewayState state, AdminApi api) {
        this.state = state;
        this.api = api;
    }

    /** One admin call, routed. */
    private record Call(String action, String target, Role role, boolean mutating, String targetKind) {
        Call(String action, String target, Role role, boolean mutating) {
            this(action, target, role, mutating, null);
        }

        Call withTarget(String subject, String kind) {
            return new Call(action, subject, role, mutating, kind);
        }
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        String requestId = RequestIds.next(state.clock());
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        if (!request.decoderResult().isSuccess()) {
            problem(
                    ctx,
                    requestId,
                    false,
                    new AdminException(ProblemType.BAD_REQUEST, "The request could not be parsed."));
            return;
        }
        String path = request.uri().split("\\?", 2)[0];
        HttpMethod method = request.method();
        Call routed = route(method, path);
        // a revocation names its target in the body: recorded as fields of every record of the call
        Call call = routed.action().equals("revoke")
                ? routed.withTarget(bodyField(request, "subject"), bodyField(request, "kind"))
                : routed;
        Operator operator = operator(ctx);
        String crossSite = CrossSiteGuard.refusal(request, call.mutating());
        if (crossSite != null) {
            AdminException refused = new AdminException(ProblemType.CROSS_SITE_REQUEST, crossSite);
            if (call.mutating()) {
                audit(
                        requestId,
                        operator != null ? operator.name() : stranger(ctx),
                        operator != null ? operator.role().word() : "none",
                        call,
                        attemptedReason(request),
                        refused.type().code(),
                        crossSite);
            }
            problem(ctx, requestId, keepAlive, refused);
            return;
        }
        if (operator == null) {
            AdminException unknown = new AdminException(
                    ProblemType.UNKNOWN_OPERATOR,
                    "The client certificate is trusted but matches no operator in the policy.");
            if (call.mutating()) {
                // an attempt at a change by someone who is not an operator is exactly what an audit must show
                audit(
                        requestId,
                        stranger(ctx),
                        "none",
                        call,
                        attemptedReason(request),
                        unknown.type().code(),
                        unknown.getMessage());
            }
            problem(ctx, requestId, keepAlive, unknown);
            return;
        }
        if (!operator.role().includes(call.role())) {
            AdminException denied = new AdminException(
                    ProblemType.INSUFFICIENT_ROLE,
                    "This call needs the '"
                            + call.role().word() + "' role; operator '" + operator.name() + "' has '"
                            + operator.role().word() + "'.");
            if (call.mutating()) {
                audit(
                        requestId,
                        operator,
                        call,
                        attemptedReason(request),
                        denied.type().code(),
                        denied.getMessage());
            }
            problem(ctx, requestId, keepAlive, denied);
            return;
        }
        if (call.action().equals("report")) {
            report(ctx, requestId, keepAlive, call, request.uri());
            return;
        }
        String body = request.content().toString(StandardCharsets.UTF_8);
        CompletableFuture<ObjectNode> result;
        String reason = null;
        try {
            result = switch (call.action()) {
                case "status" -> CompletableFuture.completedFuture(api.status());
                case "whoami" ->
                    CompletableFuture.completedFuture(RequestBody.JSON
                            .createObjectNode()
                            .put("operator", operator.name())
                            .put("role", operator.role().word()));
                case "vendors" -> CompletableFuture.completedFuture(api.vendors());
                case "vendor" -> CompletableFuture.completedFuture(api.vendor(call.target()));
                case "traffic" ->
                    CompletableFuture.completedFuture(api.traffic(
                            call.target(),
                            new io.netty.handler.codec.http.QueryStringDecoder(request.uri()).parameters()));
                case "tripwires" -> CompletableFuture.completedFuture(api.tripwires(call.target()));
                case "revocations" ->
                    CompletableFuture.completedFuture(
                            RevocationsView.of(state.control(), state.clock().instant()));
                case "clients" -> CompletableFuture.completedFuture(api.clients(call.target()));
                case "tokens" -> CompletableFuture.completedFuture(api.tokens(call.target()));
                case "fleet" -> api.fleet();
                case "suspend", "suspend-all" -> {
                    RequestBody parsed = RequestBody.parse(body, AdminApi.SUSPEND_FIELDS);
                    reason = parsed.reason();
                    yield api.suspend(call.target(), parsed, operator.name());
                }
                case "end-probation" -> {
                    RequestBody parsed = RequestBody.parse(body, AdminApi.REASON_ONLY);
                    reason = parsed.reason();
                    yield api.endProbation(call.target(), parsed, operator.name());
                }
                case "resume", "resume-all" -> {
                    RequestBody parsed = RequestBody.parse(
                            body, call.action().equals("resume") ? AdminApi.RESUME_FIELDS : AdminApi.REASON_ONLY);
                    reason = parsed.reason();
                    yield api.resume(call.target(), parsed, operator.name());
                }
                case "enroll" -> {
                    RequestBody parsed = RequestBody.parse(body, AdminApi.ENROLL_FIELDS);
                    reason = parsed.reason();
                    yield api.enroll(call.target(), parsed, operator.name());
                }
                case "revoke" -> {
                    RequestBody parsed = RequestBody.parse(body, AdminApi.REVOKE_FIELDS);
                    reason = parsed.reason();
                    yield api.revoke(parsed, operator.name());
                }
                case "reload" -> {
                    RequestBody parsed = RequestBody.parse(body, AdminApi.RELOAD_FIELDS);
                    reason = parsed.reason();
                    yield api.reload(parsed, operator.name());
                }
                case "method-not-allowed" ->
                    throw new AdminException(
                            ProblemType.METHOD_NOT_ALLOWED, "Method " + method + " is not allowed on " + path + ".");
                default -> throw new AdminException(ProblemType.NOT_FOUND, "No admin call at " + path + ".");
            };
        } catch (AdminException e) {
            if (call.mutating()) {
                audit(
                        requestId,
                        operator,
                        call,
                        reason != null ? reason : attemptedReason(request),
                        e.type().code(),
                        e.getMessage());
            }
            problem(ctx, requestId, keepAlive, e);
            return;
        } catch (RuntimeException e) {
            // a defect, not bad input: still an answer and an audit record, never a dropped connection
            LOG.log(Level.SEVERE, "admin call " + call.action() + " failed", e);
            AdminException error =
                    new AdminException(ProblemType.INTERNAL_ERROR, "The call failed; see the gateway's log.");
            if (call.mutating()) {
                audit(
                        requestId,
                        operator,
                        call,
                        reason != null ? reason : attemptedReason(request),
                        error.type().code(),
                        error.getMessage());
            }
            problem(ctx, requestId, keepAlive, error);
            return;
        }
        String why = reason;
        result.whenComplete((json, failure) -> ctx.executor().execute(() -> {
            if (failure == null) {
                if (call.mutating()) {
                    audit(requestId, operator, call, why, "ok", json.toString());
                }
                respond(ctx, requestId, keepAlive, HttpResponseStatus.OK, json);
                return;
            }
            Throwable cause =
                    failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
            AdminException error = cause instanceof AdminException a
                    ? a
                    : new AdminException(ProblemType.INTERNAL_ERROR, "The call failed; see the gateway's log.");
            if (!(cause instanceof AdminException)) {
                LOG.log(Level.SEVERE, "admin call " + call.action() + " failed", cause);
            }
            if (call.mutating()) {
                audit(requestId, operator, call, why, error.type().code(), error.getMessage());
            }
            problem(ctx, requestId, keepAlive, error);
        }));
    }

    /** The audit report on a vendor, rendered off the event loop and answered on it. */
    private void report(ChannelHandlerContext ctx, String requestId, boolean keepAlive, Call call, String uri) {
        CompletableFuture<AdminApi.Rendered> rendered;
        try {
            rendered = api.report(call.target(), new io.netty.handler.codec.http.QueryStringDecoder(uri).parameters());
        } catch (AdminException e) {
            problem(ctx, requestId, keepAlive, e);
            return;
        }
        rendered.whenComplete((report, failure) -> ctx.executor().execute(() -> {
            if (failure == null) {
                byte[] bytes = report.body().getBytes(StandardCharsets.UTF_8);
                FullHttpResponse response = new DefaultFullHttpResponse(
                        HttpVersion.HTTP_1_1,
                        HttpResponseStatus.OK,
                        ctx.alloc().buffer(bytes.length).writeBytes(bytes));
                response.headers()
                        .set(HttpHeaderNames.CONTENT_TYPE, report.contentType())
                        .setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length)
                        .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE)
                        .set(ProblemResponse.REQUEST_ID_HEADER, requestId);
                send(ctx, response, keepAlive);
                return;
            }
            Throwable cause =
                    failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
            if (!(cause instanceof AdminException)) {
                LOG.log(Level.SEVERE, "audit report failed", cause);
            }
            problem(
                    ctx,
                    requestId,
                    keepAlive,
                    cause instanceof AdminException a
                            ? a
                            : new AdminException(
                                    ProblemType.INTERNAL_ERROR, "The report failed; see the gateway's log."));
        }));
    }

    private static Call route(HttpMethod method, String path) {
        boolean get = method.equals(HttpMethod.GET);
        boolean post = method.equals(HttpMethod.POST);
        switch (path) {
            case "/admin/status":
                return get ? new Call("status", null, Role.VIEWER, false) : notAllowed();
            case "/admin/vendors":
                return get ? new Call("vendors", null, Role.VIEWER, false) : notAllowed();
            case "/admin/whoami":
                return get ? new Call("whoami", null, Role.VIEWER, false) : notAllowed();
            case "/admin/fleet":
                return get ? new Call("fleet", null, Role.VIEWER, false) : notAllowed();
            case "/admin/tripwires":
                return get ? new Call("tripwires", null, Role.VIEWER, false) : notAllowed();
            case "/admin/suspend-all":
                return post ? new Call("suspend-all", ControlChange.EVERY_VENDOR, Role.ADMIN, true) : notAllowed();
            case "/admin/resume-all":
                return post ? new Call("resume-all", ControlChange.EVERY_VENDOR, Role.ADMIN, true) : notAllowed();
            case "/admin/policy/reload":
                return post ? new Call("reload", null, Role.ADMIN, true) : notAllowed();
            case "/admin/revocations":
                return post
                        ? new Call("revoke", null, Role.OPERATOR, true)
                        : get ? new Call("revocations", null, Role.VIEWER, false) : notAllowed();
            default:
                break;
        }
        Matcher tripwires = TRIPWIRES.matcher(path);
        if (tripwires.matches()) {
            return get ? new Call("tripwires", tripwires.group(1), Role.VIEWER, false) : notAllowed();
        }
        Matcher report = REPORT.matcher(path);
        if (report.matches()) {
            return get ? new Call("report", report.group(1), Role.VIEWER, false) : notAllowed();
        }
        Matcher view = VENDOR_VIEW.matcher(path);
        if (view.matches()) {
            return get ? new Call(view.group(2), view.group(1), Role.VIEWER, false) : notAllowed();
        }
        Matcher m = VENDOR.matcher(path);
        if (m.matches()) {
            String id = m.group(1);
            if (m.group(2) == null) {
                return get ? new Call("vendor", id, Role.VIEWER, false) : notAllowed();
            }
            String action = m.group(2).substring(1);
            return post ? new Call(action, id, Role.OPERATOR, true) : notAllowed();
        }
        return new Call("not-found", null, Role.VIEWER, false);
    }

    private static Call notAllowed() {
        return new Call("method-not-allowed", null, Role.VIEWER, false);
    }

    private Operator operator(ChannelHandlerContext ctx) {
        try {
            SslHandler ssl = ctx.pipeline().get(SslHandler.class);
            X509Certificate leaf = (X509Certificate) ssl.engine().getSession().getPeerCertificates()[0];
            return state.snapshot()
                    .access()
                    .identifyOperator(PeerCertificate.of(leaf))
                    .orElse(null);
        } catch (Exception e) {
            return null;
        }
    }

    /** Who tried a call without being an operator: the certificate's client id, role none. */
    private static String stranger(ChannelHandlerContext ctx) {
        String name = "(unknown)";
        try {
            SslHandler ssl = ctx.pipeline().get(SslHandler.class);
            name = "(not an operator) "
                    + PeerCertificate.of(
                                    (X509Certificate) ssl.engine().getSession().getPeerCertificates()[0])
                            .clientId();
        } catch (Exception e) {
            // no certificate to name: "(unknown)"
        }
        return name;
    }

    /** The reason a refused call gave, if its body has one that can be read, for the record of the refusal. */
    private static String attemptedReason(FullHttpRequest request) {
        return bodyField(request, "reason");
    }

    /** A text field of the call's JSON body (stripped, cut to a sane length), or null. */
    private static String bodyField(FullHttpRequest request, String field) {
        try {
            com.fasterxml.jackson.databind.JsonNode body =
                    RequestBody.JSON.readTree(request.content().toString(StandardCharsets.UTF_8));
            com.fasterxml.jackson.databind.JsonNode value = body == null ? null : body.get(field);
            if (value != null && value.isTextual()) {
                String text = value.asText().strip();
                return text.length() > RequestBody.MAX_REASON ? text.substring(0, RequestBody.MAX_REASON) : text;
            }
        } catch (java.io.IOException | RuntimeException e) {
            // not JSON: nothing to record
        }
        return null;
    }

    private void audit(String requestId, Operator operator, Call call, String reason, String outcome, String detail) {
        audit(requestId, operator.name(), operator.role().word(), call, reason, outcome, detail);
    }

    private void audit(
            String requestId, String operator, String role, Call call, String reason, String outcome, String detail) {
        if (state.audit() != null) {
            java.util.Map<String, String> fields =
                    call.targetKind() == null ? java.util.Map.of() : java.util.Map.of("targetKind", call.targetKind());
            state.audit()
                    .admin(new AdminRecord(
                            state.clock().instant(),
                            requestId,
                            operator,
                            role,
                            call.action(),
                            call.target(),
                            reason,
                            outcome,
                            detail,
                            fields));
        }
    }

    private static void respond(
            ChannelHandlerContext ctx,
            String requestId,
            boolean keepAlive,
            HttpResponseStatus status,
            ObjectNode json) {
        byte[] bytes = (json.toString() + "\n").getBytes(StandardCharsets.UTF_8);
        ByteBuf body = ctx.alloc().buffer(bytes.length).writeBytes(bytes);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length)
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE)
                .set(ProblemResponse.REQUEST_ID_HEADER, requestId);
        send(ctx, response, keepAlive);
    }

    private static void problem(ChannelHandlerContext ctx, String requestId, boolean keepAlive, AdminException e) {
        ObjectNode json = (ObjectNode) readTree(ProblemResponse.json(e.type(), e.getMessage(), requestId));
        if (e.extra() != null) {
            json.setAll(e.extra());
        }
        byte[] bytes = (json.toString() + "\n").getBytes(StandardCharsets.UTF_8);
        ByteBuf body = ctx.alloc().buffer(bytes.length).writeBytes(bytes);
        FullHttpResponse response =
                new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, e.type().status(), body);
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, ProblemResponse.CONTENT_TYPE)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length)
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE)
                .set(ProblemResponse.REQUEST_ID_HEADER, requestId);
        send(ctx, response, keepAlive);
    }

    private static com.fasterxml.jackson.databind.JsonNode readTree(String json) {
        try {
            return RequestBody.JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void send(ChannelHandlerContext ctx, FullHttpResponse response, boolean keepAlive) {
        if (keepAlive) {
            ctx.writeAndFlush(response);
        } else {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.log(Level.FINE, "admin connection error", cause);
        ctx.close();
    }
}
