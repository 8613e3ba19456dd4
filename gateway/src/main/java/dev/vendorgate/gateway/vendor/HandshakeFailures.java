package dev.vendorgate.gateway.vendor;

import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import java.nio.channels.ClosedChannelException;

/** Short, stable descriptions of why a TLS handshake failed, for logs (and, later, metric labels). */
final class HandshakeFailures {

    private HandshakeFailures() {}

    static String describe(Throwable cause) {
        if (cause instanceof SslHandshakeTimeoutException) {
            return "handshake timed out";
        }
        if (cause instanceof NotSslRecordException) {
            return "not TLS (plain HTTP sent to a TLS port?)";
        }
        if (cause instanceof ClosedChannelException) {
            return "client closed the connection during the handshake";
        }
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return message == null ? root.getClass().getSimpleName() : message;
    }
}
