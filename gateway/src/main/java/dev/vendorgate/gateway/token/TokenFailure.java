package dev.vendorgate.gateway.token;

/**
 * Why a token was not accepted. The code goes into the audit record; the description is safe to
 * send to the client (RFC 6750 {@code error_description}) and never contains the token.
 */
public enum TokenFailure {
    MISSING("token-missing", "An access token is required (Authorization: Bearer ...)."),
    MALFORMED("token-malformed", "The access token is not a well-formed signed JWT."),
    REJECTED_HEADER("token-rejected-header", "The access token's header is not accepted."),
    UNKNOWN_ISSUER("token-unknown-issuer", "The access token was issued by an issuer this gateway does not trust."),
    UNKNOWN_KEY("token-unknown-key", "The access token was signed with an unknown key."),
    BAD_SIGNATURE("token-bad-signature", "The access token's signature does not verify."),
    MISSING_CLAIM("token-missing-claim", "The access token lacks a required claim."),
    WRONG_AUDIENCE("token-wrong-audience", "The access token is not meant for this gateway."),
    EXPIRED("token-expired", "The access token has expired."),
    LIFETIME_TOO_LONG(
            "token-lifetime-too-long",
            "The access token's lifetime (exp - iat) is longer than the " + "gateway accepts."),
    NOT_YET_VALID("token-not-yet-valid", "The access token is not valid yet."),
    ISSUED_IN_FUTURE("token-issued-in-future", "The access token claims to be issued in the future."),
    NOT_BOUND("token-not-bound", "The access token is not bound to the client certificate of this connection."),
    OTHER_VENDOR("token-other-vendor", "The access token was issued to another vendor."),
    REVOKED("token-revoked", "The access token has been revoked."),
    CUT_OFF("credential-cut-off", "The access token was issued before the vendor's credential cut-off after a breach.");

    private final String code;
    private final String description;

    TokenFailure(String code, String description) {
        this.code = code;
        this.description = description;
    }

    public String code() {
        return code;
    }

    public String description() {
        return description;
    }
}
