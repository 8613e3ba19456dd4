package dev.vendorgate.gateway.frontend;

import dev.vendorgate.gateway.http.ProblemType;
import io.netty.handler.codec.http.HttpUtil;
import java.util.Set;

/**
 * A declared body ({@code Content-Length}) within the route's {@code maxBodyBytes}; a body of
 * unknown length is counted as it streams and cut where it crosses the limit.
 */
final class BodySizeStage implements AdmissionStage {

    @Override
    public String name() {
        return "body-size";
    }

    @Override
    public Admission.Verdict check(AdmissionContext request) {
        long max = request.route.maxBodyBytes();
        if (max > 0 && HttpUtil.getContentLength(request.head, -1L) > max) {
            return new Admission.Verdict.Refused(
                    ProblemType.PAYLOAD_TOO_LARGE,
                    "The request body exceeds the " + max + " bytes allowed on route '" + request.route.id() + "'.",
                    Set.of(),
                    false);
        }
        return null;
    }
}
