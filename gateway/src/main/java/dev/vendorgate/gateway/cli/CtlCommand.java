package dev.vendorgate.gateway.cli;

import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code gateway ctl}: the admin API from a terminal or a script. Where the API is and which
 * operator certificate to use come from options or the environment ({@code VENDORGATE_ADMIN},
 * {@code VENDORGATE_CERT}, {@code VENDORGATE_KEY}, {@code VENDORGATE_CACERT}).
 */
@Command(
        name = "ctl",
        mixinStandardHelpOptions = true,
        description = "Operate a running gateway through its admin API. Exit codes: 0 done, 1 refused or failed, "
                + "2 usage, 3 the admin API could not be reached.",
        subcommands = {
            CtlCalls.Status.class,
            CtlVendors.class,
            CtlSuspensions.Suspend.class,
            CtlSuspensions.Resume.class,
            CtlSuspensions.SuspendAll.class,
            CtlSuspensions.ResumeAll.class,
            CtlCalls.Reload.class,
            CtlRevocations.Revoke.class,
            CtlRevocations.class,
            CtlCalls.Report.class,
            CtlSuspensions.Enroll.class,
            CtlSuspensions.EndProbation.class,
            CtlTripwires.class
        })
final class CtlCommand implements Runnable {

    @Option(
            names = "--admin",
            paramLabel = "URL",
            defaultValue = "${env:VENDORGATE_ADMIN:-https://127.0.0.1:9443}",
            description = "admin API base URL (default: $VENDORGATE_ADMIN or ${DEFAULT-VALUE})",
            scope = CommandLine.ScopeType.INHERIT)
    String admin;

    @Option(
            names = "--cert",
            paramLabel = "FILE",
            defaultValue = "${env:VENDORGATE_CERT}",
            description = "operator certificate, PEM (default: $VENDORGATE_CERT)",
            scope = CommandLine.ScopeType.INHERIT)
    Path cert;

    @Option(
            names = "--key",
            paramLabel = "FILE",
            defaultValue = "${env:VENDORGATE_KEY}",
            description = "its private key, PEM PKCS#8 (default: $VENDORGATE_KEY)",
            scope = CommandLine.ScopeType.INHERIT)
    Path key;

    @Option(
            names = "--cacert",
            paramLabel = "FILE",
            defaultValue = "${env:VENDORGATE_CACERT}",
            description = "CA the gateway's certificate chains to (default: $VENDORGATE_CACERT)",
            scope = CommandLine.ScopeType.INHERIT)
    Path cacert;

    @Option(
            names = "--json",
            description = "print the API's JSON instead of a table",
            scope = CommandLine.ScopeType.INHERIT)
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(
                spec.commandLine(),
                "a call is required: status, vendors, suspend, resume, suspend-all, resume-all, reload, revoke, revocations, report, enroll, end-probation or tripwires");
    }
}
