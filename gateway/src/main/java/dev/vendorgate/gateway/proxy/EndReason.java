package dev.vendorgate.gateway.proxy;

import dev.vendorgate.gateway.http.ProblemType;

/**
 * How a forwarded request ended, when not simply completed: the {@link #code()} is the
 * {@code reason} of its audit record and stable (reports and scripts read it).
 */
public enum EndReason {
    UPSTREAM_UNAVAILABLE("upstream-unavailable", true),
    UPSTREAM_ERROR("upstream-error", true),
    UPSTREAM_TIMEOUT("upstream-timeout", true),
    /** The upstream stopped sending in the middle of a response. */
    UPSTREAM_STALLED("upstream-stalled", true),
    /** The upstream closed its connection in the middle of a response. */
    UPSTREAM_CLOSED("upstream-closed", true),
    /** The response was begun and could not be finished, for no more specific reason (the vendor stopped reading). */
    ABORTED("upstream-aborted", false),
    QUOTA_BYTES_IN("quota-exceeded:bytes-in", false),
    QUOTA_BYTES_OUT("quota-exceeded:bytes-out", false),
    PAYLOAD_TOO_LARGE("payload-too-large", false),
    /** The request body's framing broke, or its trailers carried a field they must not. */
    BAD_REQUEST("bad-request", false),
    TRAILERS_TOO_LARGE("headers-too-large", false),
    BODY_TIMEOUT("body-timeout", false),
    /** A kill switch cut the vendor's connection. */
    VENDOR_SUSPENDED("vendor-suspended", false),
    CONNECTION_CLOSED("connection-closed", false),
    CONNECTION_ERROR("connection-error", false),
    INTERNAL_ERROR("internal-error", false);

    private final String code;
    private final boolean upstreamFault;

    EndReason(String code, boolean upstreamFault) {
        this.code = code;
        this.upstreamFault = upstreamFault;
    }

    /** The audit record's {@code reason}. */
    public String code() {
        return code;
    }

    /** Whether the upstream failed (counted in {@code vendorgate_upstream_errors_total}). */
    public boolean upstreamFault() {
        return upstreamFault;
    }

    /** The end of an exchange answered (or cut) with a problem of this type. */
    public static EndReason of(ProblemType type) {
        return switch (type) {
            case UPSTREAM_UNAVAILABLE -> UPSTREAM_UNAVAILABLE;
            case UPSTREAM_ERROR -> UPSTREAM_ERROR;
            case UPSTREAM_TIMEOUT -> UPSTREAM_TIMEOUT;
            case PAYLOAD_TOO_LARGE -> PAYLOAD_TOO_LARGE;
            case BAD_REQUEST, INVALID_PATH, URI_TOO_LONG -> BAD_REQUEST;
            case HEADERS_TOO_LARGE -> TRAILERS_TOO_LARGE;
            case BODY_TIMEOUT, REQUEST_TIMEOUT -> BODY_TIMEOUT;
            case VENDOR_SUSPENDED, VENDOR_READ_ONLY, PROBATION, CREDENTIAL_CUT_OFF -> VENDOR_SUSPENDED;
            // what refuses a request before it is forwarded never ends a forwarded one
            case UNKNOWN_IDENTITY,
                    INVALID_SPIFFE_ID,
                    AMBIGUOUS_IDENTITY,
                    VENDOR_CA_MISMATCH,
                    NO_ROUTE,
                    METHOD_NOT_ALLOWED,
                    ROUTE_NOT_GRANTED,
                    TOKEN_REQUIRED,
                    INVALID_TOKEN,
                    INSUFFICIENT_SCOPE,
                    RATE_LIMITED,
                    QUOTA_EXCEEDED,
                    TOO_MANY_IN_FLIGHT,
                    TOO_MANY_CONNECTIONS,
                    OVERLOADED,
                    SHUTTING_DOWN,
                    CONTROL_UNREACHABLE,
                    AUDIT_UNAVAILABLE,
                    INTERNAL_ERROR,
                    NOT_FOUND,
                    UNKNOWN_OPERATOR,
                    INSUFFICIENT_ROLE,
                    UNKNOWN_VENDOR,
                    CONFLICT,
                    INVALID_POLICY,
                    STORE_UNAVAILABLE,
                    CROSS_SITE_REQUEST -> INTERNAL_ERROR;
        };
    }
}
