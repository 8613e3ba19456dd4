package dev.vendorgate.gateway.frontend;

import dev.vendorgate.policy.VendorStatus;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;

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

    LocalEndpoints.Answer answer(HttpRequest request, VendorConnection connection, VendorStatus status,
                                 java.time.Instant now, ByteBufAllocator alloc) {
        return LocalEndpoints.answer(target.endpoint(), request, body, target.vendor(), connection, status, now, alloc);
    }

    Admission.Verdict.Local target() {
        return target;
    }

    /** Frees the body and the vendor's in-flight slot; once, whichever way the request ended. */
    void release() {
        if (body != null) {
            body.release();
            body = null;
            target.limiter().release();
        }
    }
}
