package dev.vendorgate.gateway.frontend;

import dev.vendorgate.gateway.runtime.GatewayState;
import dev.vendorgate.policy.Vendor;
import dev.vendorgate.policy.VendorStatus;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import java.time.Instant;

/**
 * A request for one of the gateway's own endpoints while its (small) body arrives; answered
 * once the body is complete. Owns the body buffer until {@link #release}.
 */
final class LocalRequest {

    private final Admission.Verdict.Local target;
    private ByteBuf body;

    LocalRequest(Admission.Verdict.Local target, ByteBufAllocator alloc) {
        this.target = target;
        this.body = alloc.buffer(256);
    }

    /** Adds a piece of the body (and releases it); false when the body grows past the limit. */
    boolean add(HttpContent content) {
        try {
            if (body.readableBytes() + content.content().readableBytes() > LocalEndpoints.MAX_FORM_BYTES) {
                return false;
            }
            body.writeBytes(content.content());
            return true;
        } finally {
            content.release();
        }
    }

    /**
     * The gateway's answer, once the body is in; records it in the request's lease (which gives
     * back the in-flight slot).
     */
    FullHttpResponse answer(
            GatewayState state,
            HttpRequest request,
            VendorConnection connection,
            RequestLease lease,
            ByteBufAllocator alloc) {
        Vendor vendor = target.vendor();
        // the issue time is taken before the status is read: a token dated after a suspension's cut-off
        // is one whose issuance saw the suspension on its way (GatewayState#suspending) or in force
        Instant now = state.clock().instant();
        VendorStatus status = state.suspending(vendor.id())
                ? VendorStatus.SUSPENDED
                : state.control().effectiveStatus(vendor, now);
        LocalEndpoints.Answer answer =
                LocalEndpoints.answer(target.endpoint(), request, body, vendor, connection, status, now, alloc);
        if (answer.jti() != null) {
            lease.entry().token(answer.jti());
            state.tokenSightings().saw(answer.jti());
            state.metrics().tokenIssued(vendor.id());
            if (answer.issued() != null) {
                state.issuedTokens()
                        .issued(
                                vendor.id(),
                                new dev.vendorgate.gateway.runtime.IssuedTokens.Issued(
                                        answer.jti(),
                                        connection.peer().clientId(),
                                        answer.issued().scope(),
                                        now,
                                        answer.issued().expiresAt()));
            }
        }
        lease.close(
                answer.reason() == null ? "allow" : "deny",
                answer.reason(),
                answer.response().status().code(),
                0,
                answer.response().content().readableBytes());
        return answer.response();
    }

    Admission.Verdict.Local target() {
        return target;
    }

    /** Frees the body; once, whichever way the request ended. */
    void release() {
        if (body != null) {
            body.release();
            body = null;
        }
    }
}
