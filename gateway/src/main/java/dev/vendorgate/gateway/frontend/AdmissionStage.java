package dev.vendorgate.gateway.frontend;

/**
 * One check of {@link Admission}: looks at the request (and what earlier stages found out,
 * in the {@link AdmissionContext}) and either ends admission with a verdict or lets the next
 * stage go on. Stages run on the request's event loop and never block.
 */
interface AdmissionStage {

    /** A short name for logs and the architecture docs ({@code identity}, {@code rate}, ...). */
    String name();

    /** @return the verdict that ends admission (a refusal, or a local answer), or null to go on */
    Admission.Verdict check(AdmissionContext request);
}
