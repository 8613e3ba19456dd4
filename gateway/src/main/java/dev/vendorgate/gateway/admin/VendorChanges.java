package dev.vendorgate.gateway.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vendorgate.gateway.control.ControlChange;
import dev.vendorgate.gateway.control.SuspendMode;
import dev.vendorgate.gateway.control.Suspension;
import dev.vendorgate.gateway.http.ProblemType;
import dev.vendorgate.gateway.runtime.GatewayState;
import dev.vendorgate.gateway.runtime.KillSwitch;
import dev.vendorgate.policy.Vendor;
import dev.vendorgate.policy.VendorStatus;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The admin API's changes to a vendor's access: suspend (one vendor or all), resume, end a
 * probation, enroll a certificate. Each is checked in turn with every other change (see
 * {@link KillSwitch}) and answers once it is durable and applied.
 */
final class VendorChanges {

    private final GatewayState state;
    private final KillSwitch killSwitch;
    private final Clock clock;

    VendorChanges(GatewayState state, KillSwitch killSwitch, Clock clock) {
        this.state = state;
        this.killSwitch = killSwitch;
        this.clock = clock;
    }

    /** Suspends one vendor, or every vendor when {@code id} is {@link ControlChange#EVERY_VENDOR}. */
    CompletableFuture<ObjectNode> suspend(String id, RequestBody body, String operator) {
        boolean all = id.equals(ControlChange.EVERY_VENDOR);
        Vendor vendor = all ? null : AdminApi.find(state, id);
        String reason = body.reason();
        String modeWord = body.text("mode", SuspendMode.SEVER.word());
        SuspendMode mode = SuspendMode.fromWord(modeWord);
        if (mode == null) {
            throw new AdminException(ProblemType.BAD_REQUEST, "'mode' must be sever or drain, not '" + modeWord + "'.");
        }
        Instant now = clock.instant();
        Instant until = body.until("until", now);
        boolean readOnly = body.bool("readOnly", false);
        boolean breach = body.bool("breach", false);
        Instant compromisedSince = body.since("compromisedSince", now);
        if (compromisedSince != null && !breach) {
            throw new AdminException(ProblemType.BAD_REQUEST, "'compromisedSince' goes with \"breach\": true.");
        }
        if (breach && (all || readOnly || until != null)) {
            throw new AdminException(
                    ProblemType.BAD_REQUEST,
                    "A breach suspension is of one vendor, full and without "
                            + "an end: leave out readOnly and until.");
        }
        if (vendor != null && vendor.status() == VendorStatus.SUSPENDED && !breach) {
            throw new AdminException(
                    ProblemType.CONFLICT, "Vendor '" + id + "' is already suspended by the policy file.");
        }
        // checked in turn with every other change, so two concurrent calls cannot both pass it
        KillSwitch.Precondition notLooser = (control, at) -> {
            Optional<Suspension> current = all ? control.global(at) : control.suspension(id, at);
            // a breach may follow a plain suspension: the cut-off is what it adds
            if (current.isPresent() && (!current.get().readOnly() || readOnly) && !breach) {
                throw new AdminException(
                        ProblemType.CONFLICT,
                        (all ? "All vendors are" : "Vendor '" + id + "' is")
                                + " already " + (current.get().readOnly() ? "read-only" : "suspended") + " (since "
                                + current.get().since() + " by " + current.get().operator()
                                + "); resume first to change it.");
            }
        };
        long started = System.nanoTime(); // a duration for the answer, not a time of day
        return durable(
                        killSwitch.suspend(
                                id,
                                operator,
                                reason,
                                breach ? SuspendMode.SEVER : mode,
                                until,
                                readOnly,
                                breach ? (compromisedSince != null ? compromisedSince : now) : null,
                                notLooser),
                        breach || mode == SuspendMode.SEVER
                                ? " (the vendor's open connections were cut while it was written: they stay closed,"
                                        + " and the vendor may connect again)"
                                : "")
                .thenApply(outcome -> {
                    ObjectNode out = RequestBody.JSON.createObjectNode();
                    if (all) {
                        out.put("vendor", ControlChange.EVERY_VENDOR);
                    } else {
                        out.put("vendor", id);
                    }
                    // the state that holds after the call, which a concurrent stricter call may have made stricter
                    out.put(
                            "status",
                            outcome.suspension().readOnly()
                                    ? VendorStatus.READ_ONLY.word()
                                    : VendorStatus.SUSPENDED.word());
                    out.set("suspension", AdminApi.suspension(outcome.suspension()));
                    out.put("mode", breach ? SuspendMode.SEVER.word() : mode.word())
                            .put("durable", true);
                    if (breach) {
                        Instant cutoff = state.control().credentialCutoff(id);
                        out.put("credentialCutoff", cutoff == null ? null : cutoff.toString());
                    }
                    out.putObject("closed")
                            .put("connections", outcome.closed().connections())
                            .put("requests", outcome.closed().streams());
                    // from the call's turn to the last connection closed: what the kill switch took on this node
                    out.put("tookMs", Math.round((System.nanoTime() - started) / 100_000.0) / 10.0);
                    if (!outcome.fleet().acknowledged().isEmpty()
                            || !outcome.fleet().missing().isEmpty()) {
                        ObjectNode nodes = out.putObject("nodes");
                        outcome.fleet().acknowledged().forEach(nodes.putArray("acknowledged")::add);
                        outcome.fleet().missing().forEach(nodes.putArray("missing")::add);
                    }
                    return out;
                });
    }

    CompletableFuture<ObjectNode> resume(String id, RequestBody body, String operator) {
        boolean all = id.equals(ControlChange.EVERY_VENDOR);
        Vendor vendor = all ? null : AdminApi.find(state, id);
        String reason = body.reason();
        KillSwitch.Precondition suspended = (control, at) -> {
            Optional<Suspension> current = all ? control.global(at) : control.suspension(id, at);
            if (current.isEmpty()) {
                if (vendor != null && vendor.status() == VendorStatus.SUSPENDED) {
                    throw new AdminException(
                            ProblemType.CONFLICT,
                            "Vendor '" + id + "' is suspended by the policy "
                                    + "file, not at run time: edit the policy (status: active) and reload it.");
                }
                throw new AdminException(
                        ProblemType.CONFLICT,
                        (all ? "The global switch is" : "Vendor '" + id + "' is") + " not suspended.");
            }
        };
        boolean full = body.bool("full", false);
        Instant probationUntil = body.until("probation", clock.instant());
        return durable(killSwitch.resume(id, operator, reason, full, probationUntil, suspended), "")
                .thenApply(probation -> {
                    ObjectNode out = RequestBody.JSON.createObjectNode();
                    out.put("vendor", id).put("probation", probation).put("full", full);
                    if (probation) {
                        out.put("probationUntil", probationUntil == null ? null : probationUntil.toString());
                    }
                    out.put(
                            "status",
                            all
                                    ? "active"
                                    : state.control()
                                            .effectiveStatus(vendor, clock.instant())
                                            .word());
                    out.put("durable", true);
                    return out;
                });
    }

    /** Ends a vendor's probation: by an operator other than the one who resumed it (two people). */
    CompletableFuture<ObjectNode> endProbation(String id, RequestBody body, String operator) {
        Vendor vendor = AdminApi.find(state, id);
        String reason = body.reason();
        KillSwitch.Precondition secondPerson = (control, at) -> {
            Optional<ControlChange.Probation> on = control.probation(id, at);
            if (on.isEmpty()) {
                throw new AdminException(ProblemType.CONFLICT, "Vendor '" + id + "' is not on probation.");
            }
            if (on.get().operator().equals(operator)) {
                throw new AdminException(
                        ProblemType.CONFLICT,
                        "Operator '" + operator + "' resumed vendor '" + id
                                + "' onto probation; another operator must end it (two-person rule).");
            }
        };
        return durable(killSwitch.endProbation(id, operator, reason, secondPerson), "")
                .thenApply(done -> {
                    ObjectNode out = RequestBody.JSON.createObjectNode();
                    out.put("vendor", id)
                            .put(
                                    "status",
                                    state.control()
                                            .effectiveStatus(vendor, clock.instant())
                                            .word())
                            .put("durable", true);
                    return out;
                });
    }

    /** Admits one certificate (by SHA-256) of a vendor whose credentials were cut off. */
    CompletableFuture<ObjectNode> enroll(String id, RequestBody body, String operator) {
        AdminApi.find(state, id);
        String reason = body.reason();
        String sha256 = body.text("sha256", null);
        if (sha256 == null || !sha256.matches("[0-9a-fA-F]{64}")) {
            throw new AdminException(
                    ProblemType.BAD_REQUEST,
                    "'sha256' must be the certificate's SHA-256 fingerprint: " + "64 hex digits.");
        }
        String fingerprint = sha256.toLowerCase(java.util.Locale.ROOT);
        KillSwitch.Precondition cutOff = (control, at) -> {
            if (control.credentialCutoff(id) == null) {
                throw new AdminException(
                        ProblemType.CONFLICT,
                        "Vendor '" + id + "' has no credential cut-off: its " + "certificates need no enrolment.");
            }
        };
        return durable(killSwitch.enroll(id, fingerprint, operator, reason, cutOff), "")
                .thenApply(change -> {
                    ObjectNode out = RequestBody.JSON.createObjectNode();
                    out.put("vendor", id)
                            .put("sha256", fingerprint)
                            .put("enrolledAt", change.at().toString())
                            .put(
                                    "credentialCutoff",
                                    state.control().credentialCutoff(id).toString())
                            .put("durable", true);
                    return out;
                });
    }

    /**
     * {@code change}, with a failure to make it durable answered as {@code store-unavailable}
     * ({@code note} added to the message); a refusal of the change's own check passes as it is.
     */
    static <T> CompletableFuture<T> durable(CompletableFuture<T> change, String note) {
        return change.exceptionally(e -> {
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            if (cause instanceof AdminException admin) {
                throw admin;
            }
            throw new AdminException(
                    ProblemType.STORE_UNAVAILABLE,
                    "The change could not be made durable, so it was not applied: " + cause.getMessage() + note);
        });
    }
}
