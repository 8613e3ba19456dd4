package dev.vendorgate.gateway.http;

import dev.vendorgate.policy.DenyReason;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * Every kind of refusal or failure the gateway answers with an RFC 9457 problem. The
 * {@link #code()} is stable and appears in the {@code type} URI, metrics and audit records.
 */
public enum ProblemType {
    BAD_REQUEST("bad-request", HttpResponseStatus.BAD_REQUEST, "Bad request"),
    REQUEST_TIMEOUT("request-timeout", HttpResponseStatus.REQUEST_TIMEOUT, "Request head not received in time"),
    BODY_TIMEOUT("body-timeout", HttpResponseStatus.REQUEST_TIMEOUT, "Request body not received in time"),
    URI_TOO_LONG("uri-too-long", HttpResponseStatus.REQUEST_URI_TOO_LONG, "Request line too long"),
    HEADERS_TOO_LARGE(
            "headers-too-large", HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "Request headers too large"),
    INVALID_PATH("invalid-path", HttpResponseStatus.BAD_REQUEST, "Ambiguous or invalid request path"),
    PAYLOAD_TOO_LARGE("payload-too-large", HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "Request body too large"),
    UNKNOWN_IDENTITY(DenyReason.UNKNOWN_IDENTITY),
    INVALID_SPIFFE_ID(DenyReason.INVALID_SPIFFE_ID),
    AMBIGUOUS_IDENTITY(DenyReason.AMBIGUOUS_IDENTITY),
    VENDOR_CA_MISMATCH(DenyReason.VENDOR_CA_MISMATCH),
    VENDOR_SUSPENDED(DenyReason.VENDOR_SUSPENDED),
    VENDOR_READ_ONLY(DenyReason.VENDOR_READ_ONLY),
    NO_ROUTE(DenyReason.NO_ROUTE),
    METHOD_NOT_ALLOWED(DenyReason.METHOD_NOT_ALLOWED),
    ROUTE_NOT_GRANTED(DenyReason.ROUTE_NOT_GRANTED),
    TOKEN_REQUIRED("token-required", HttpResponseStatus.UNAUTHORIZED, "Access token required"),
    INVALID_TOKEN("invalid-token", HttpResponseStatus.UNAUTHORIZED, "Access token not accepted"),
    INSUFFICIENT_SCOPE("insufficient-scope", HttpResponseStatus.FORBIDDEN, "Access token lacks a scope"),
    CREDENTIAL_CUT_OFF("credential-cut-off", HttpResponseStatus.FORBIDDEN, "Credential issued before a breach cut-off"),
    PROBATION("probation", HttpResponseStatus.FORBIDDEN, "Vendor on probation after a breach: reads only"),
    RATE_LIMITED("rate-limited", HttpResponseStatus.TOO_MANY_REQUESTS, "Request rate limit reached"),
    QUOTA_EXCEEDED("quota-exceeded", HttpResponseStatus.TOO_MANY_REQUESTS, "Byte quota used up"),
    TOO_MANY_IN_FLIGHT("too-many-in-flight", HttpResponseStatus.TOO_MANY_REQUESTS, "Too many requests in flight"),
    TOO_MANY_CONNECTIONS("too-many-connections", HttpResponseStatus.TOO_MANY_REQUESTS, "Too many connections"),
    OVERLOADED("overloaded", HttpResponseStatus.SERVICE_UNAVAILABLE, "Gateway overloaded"),
    UPSTREAM_UNAVAILABLE("upstream-unavailable", HttpResponseStatus.BAD_GATEWAY, "Upstream unavailable"),
    UPSTREAM_ERROR("upstream-error", HttpResponseStatus.BAD_GATEWAY, "Upstream failed"),
    UPSTREAM_TIMEOUT("upstream-timeout", HttpResponseStatus.GATEWAY_TIMEOUT, "Upstream timed out"),
    SHUTTING_DOWN("shutting-down", HttpResponseStatus.SERVICE_UNAVAILABLE, "Gateway shutting down"),
    CONTROL_UNREACHABLE(
            "control-state-unreachable", HttpResponseStatus.SERVICE_UNAVAILABLE, "Fleet control state unreachable"),
    AUDIT_UNAVAILABLE("audit-unavailable", HttpResponseStatus.SERVICE_UNAVAILABLE, "Audit trail unavailable"),
    INTERNAL_ERROR("internal-error", HttpResponseStatus.INTERNAL_SERVER_ERROR, "Internal gateway error"),
    NOT_FOUND("not-found", HttpResponseStatus.NOT_FOUND, "Not found"),
    UNKNOWN_OPERATOR("unknown-operator", HttpResponseStatus.UNAUTHORIZED, "Certificate not mapped to an operator"),
    INSUFFICIENT_ROLE("insufficient-role", HttpResponseStatus.FORBIDDEN, "Operator role does not allow this"),
    CROSS_SITE_REQUEST("cross-site-request", HttpResponseStatus.FORBIDDEN, "Cross-site admin request refused"),
    UNKNOWN_VENDOR("unknown-vendor", HttpResponseStatus.NOT_FOUND, "No such vendor"),
    CONFLICT("conflict", HttpResponseStatus.CONFLICT, "Conflicting state"),
    INVALID_POLICY("invalid-policy", HttpResponseStatus.UNPROCESSABLE_ENTITY, "Policy refused"),
    STORE_UNAVAILABLE("store-unavailable", HttpResponseStatus.SERVICE_UNAVAILABLE, "Control state not writable");

    /** Prefix of every problem {@code type}; the rest is the code. */
    public static final String TYPE_PREFIX = "urn:vendorgate:problem:";

    private final String code;
    private final HttpResponseStatus status;
    private final String title;

    ProblemType(String code, HttpResponseStatus status, String title) {
        this.code = code;
        this.status = status;
        this.title = title;
    }

    ProblemType(DenyReason reason) {
        this(reason.code(), HttpResponseStatus.valueOf(reason.status()), reason.title());
    }

    public static ProblemType of(DenyReason reason) {
        return switch (reason) {
            case UNKNOWN_IDENTITY -> UNKNOWN_IDENTITY;
            case INVALID_SPIFFE_ID -> INVALID_SPIFFE_ID;
            case AMBIGUOUS_IDENTITY -> AMBIGUOUS_IDENTITY;
            case VENDOR_CA_MISMATCH -> VENDOR_CA_MISMATCH;
            case VENDOR_SUSPENDED -> VENDOR_SUSPENDED;
            case VENDOR_READ_ONLY -> VENDOR_READ_ONLY;
            case NO_ROUTE -> NO_ROUTE;
            case METHOD_NOT_ALLOWED -> METHOD_NOT_ALLOWED;
            case ROUTE_NOT_GRANTED -> ROUTE_NOT_GRANTED;
        };
    }

    public String code() {
        return code;
    }

    public String type() {
        return TYPE_PREFIX + code;
    }

    public HttpResponseStatus status() {
        return status;
    }

    public String title() {
        return title;
    }
}
