package dev.vendorgate.policy;

/**
 * Why a request was refused by policy. The {@link #code()} is stable: it appears in problem
 * responses, metrics labels and audit records, and scripts may depend on it.
 */
public enum DenyReason {
    /** The client certificate is trusted but no vendor's identity rules match it. */
    UNKNOWN_IDENTITY("unknown-identity", 403, "Certificate not mapped to a vendor"),
    /** The client certificate names a SPIFFE ID that the SPIFFE ID grammar does not allow. */
    INVALID_SPIFFE_ID("invalid-spiffe-id", 403, "Certificate has an invalid SPIFFE ID"),
    /** More than one vendor's identity rules match the client certificate. */
    AMBIGUOUS_IDENTITY("ambiguous-identity", 403, "Certificate matches more than one vendor"),
    /** The certificate does not chain through the CA the vendor pinned. */
    VENDOR_CA_MISMATCH("vendor-ca-mismatch", 403, "Certificate not issued by the vendor's CA"),
    /** The vendor is suspended. */
    VENDOR_SUSPENDED("vendor-suspended", 403, "Vendor suspended"),
    /** The vendor is read-only and the method is not safe. */
    VENDOR_READ_ONLY("vendor-read-only", 403, "Vendor is read-only"),
    /** No route matches the path. */
    NO_ROUTE("no-route", 404, "No such route"),
    /** A route matches the path but not the method. */
    METHOD_NOT_ALLOWED("method-not-allowed", 405, "Method not allowed"),
    /** A route matches but is not granted to the vendor. */
    ROUTE_NOT_GRANTED("route-not-granted", 403, "Route not granted to vendor");

    private final String code;
    private final int status;
    private final String title;

    DenyReason(String code, int status, String title) {
        this.code = code;
        this.status = status;
        this.title = title;
    }

    public String code() {
        return code;
    }

    /** The HTTP status a refusal for this reason gets. */
    public int status() {
        return status;
    }

    public String title() {
        return title;
    }
}
