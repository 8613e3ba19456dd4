package dev.vendorgate.gateway.frontend;

import dev.vendorgate.gateway.http.ProblemType;
import dev.vendorgate.gateway.runtime.GatewayState;
import dev.vendorgate.gateway.token.TokenFailure;
import dev.vendorgate.gateway.token.TokenVerifier;
import dev.vendorgate.gateway.token.VerifiedToken;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * On a route that requires one, a valid access token bound to this client certificate (RFC
 * 8705), of this vendor, not revoked or cut off, with the scopes the route needs for the method.
 */
final class TokenStage implements AdmissionStage {

    private static final String CHALLENGE = "Bearer realm=\"vendorgate\"";

    private final GatewayState state;

    TokenStage(GatewayState state) {
        this.state = state;
    }

    @Override
    public String name() {
        return "token";
    }

    @Override
    public Admission.Verdict check(AdmissionContext request) {
        if (!request.route.requiresToken()) {
            return null;
        }
        TokenVerifier.Result token = request.snapshot
                .tokens()
                .orElseThrow()
                .verifier()
                .check(
                        request.head.headers().get(HttpHeaderNames.AUTHORIZATION),
                        request.connection.lastToken(),
                        request.connection.thumbprint(),
                        request.vendor.id(),
                        request.now,
                        state.control());
        if (token instanceof TokenVerifier.Result.Invalid invalid) {
            state.metrics().tokenChecked(invalid.failure().code());
            return refused(invalid.failure(), request);
        }
        state.metrics().tokenChecked("valid");
        VerifiedToken verified = ((TokenVerifier.Result.Valid) token).token();
        request.entry().token(verified.jti());
        request.tokenId = verified.jti();
        state.tokenSightings().saw(verified.jti());
        List<String> needed = request.route.scopesFor(request.head.method().name());
        if (!verified.scopes().containsAll(needed)) {
            String scope = String.join(" ", needed);
            return new Admission.Verdict.Refused(
                    ProblemType.INSUFFICIENT_SCOPE,
                    "This request needs the scope(s) " + scope + "; ask the token endpoint for them.",
                    Set.of(),
                    false,
                    ProblemType.INSUFFICIENT_SCOPE.code(),
                    Map.of("WWW-Authenticate", CHALLENGE + ", error=\"insufficient_scope\", scope=\"" + scope + "\""));
        }
        request.scopes = verified.scopes();
        return null;
    }

    private static Admission.Verdict refused(TokenFailure failure, AdmissionContext request) {
        if (failure == TokenFailure.CUT_OFF) {
            return new Admission.Verdict.Refused(
                    ProblemType.CREDENTIAL_CUT_OFF,
                    failure.description() + " Get a new " + "token with a certificate issued after the cut-off.",
                    Set.of(),
                    false);
        }
        if (failure == TokenFailure.MISSING) {
            return new Admission.Verdict.Refused(
                    ProblemType.TOKEN_REQUIRED,
                    failure.description() + " Get one from "
                            + request.snapshot.tokens().get().spec().issuer()
                            + "/oauth2/token with this client certificate.",
                    Set.of(),
                    false,
                    failure.code(),
                    Map.of("WWW-Authenticate", CHALLENGE));
        }
        return new Admission.Verdict.Refused(
                ProblemType.INVALID_TOKEN,
                failure.description(),
                Set.of(),
                false,
                failure.code(),
                Map.of(
                        "WWW-Authenticate",
                        CHALLENGE + ", error=\"invalid_token\", error_description=\"" + failure.description() + "\""));
    }
}
