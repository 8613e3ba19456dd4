package dev.vendorgate.gateway.frontend;

/**
 * The gateway's own endpoints (token issuance, key set, metadata): answered by the gateway once
 * the request's body is in, holding one of the vendor's in-flight slots meanwhile. They come
 * after the rate and overload stages and are not charged to the byte quotas, so a vendor at its
 * quota can still get a token.
 */
final class LocalEndpointStage implements AdmissionStage {

    @Override
    public String name() {
        return "local-endpoints";
    }

    @Override
    public Admission.Verdict check(AdmissionContext request) {
        if (request.local == null) {
            return null;
        }
        Admission.Verdict busy = CapacityStage.takeSlot(request);
        return busy != null ? busy : new Admission.Verdict.Local(request.local, request.vendor);
    }
}
