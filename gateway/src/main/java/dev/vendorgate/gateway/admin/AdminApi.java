package dev.vendorgate.gateway.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vendorgate.gateway.audit.AuditLog;
import dev.vendorgate.gateway.control.ControlChange;
import dev.vendorgate.gateway.control.ControlState;
import dev.vendorgate.gateway.control.ControlStore;
import dev.vendorgate.gateway.control.SuspendMode;
import dev.vendorgate.gateway.control.Suspension;
import dev.vendorgate.gateway.frontend.VendorConnection;
import dev.vendorgate.gateway.http.ProblemType;
import dev.vendorgate.gateway.runtime.GatewayState;
import dev.vendorgate.gateway.runtime.KillSwitch;
import dev.vendorgate.gateway.runtime.PolicyReloader;
import dev.vendorgate.policy.Policy;
import dev.vendorgate.policy.Vendor;
import dev.vendorgate.policy.VendorStatus;
import io.netty.channel.Channel;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * What the admin API can do, apart from HTTP: report state, suspend and resume vendors (one or
 * all), reload the policy. Changes return futures that complete once they are durable and applied.
 */
final class AdminApi {

    /** Facts about the running gateway for the status call. */
    record GatewayInfo(String version, Instant startedAt, String transport, String tls) {}

    static final Set<String> SUSPEND_FIELDS =
            Set.of("reason", "mode", "until", "readOnly", "breach", "compromisedSince");
    static final Set<String> ENROLL_FIELDS = Set.of("reason", "sha256");
    static final Set<String> REASON_ONLY = Set.of("reason");
    static final Set<String> RESUME_FIELDS = Set.of("reason", "full", "probation");
    static final Set<String> RELOAD_FIELDS = Set.of("reason", "dryRun");
    static final Set<String> REVOKE_FIELDS = Set.of("kind", "subject", "reason", "expires");
    private static final Duration TOKEN_REVOCATION_KEPT = Duration.ofHours(24);

    private final GatewayState state;
    private final KillSwitch killSwitch;
    private final PolicyReloader reloader;
    private final ControlStore store;
    private final Executor blocking;
    private final GatewayInfo info;
    private final Clock clock;
    private final dev.vendorgate.gateway.tripwire.TripwireWatch tripwires;

    AdminApi(
            GatewayState state,
            KillSwitch killSwitch,
            PolicyReloader reloader,
            ControlStore store,
            Executor blocking,
            GatewayInfo info,
            Clock clock,
            dev.vendorgate.gateway.tripwire.TripwireWatch tripwires) {
        this.tripwires = java.util.Objects.requireNonNull(tripwires, "tripwires");
        this.state = state;
        this.killSwitch = killSwitch;
        this.reloader = reloader;
        this.store = store;
        this.blocking = blocking;
        this.info = info;
        this.clock = clock;
    }

    ObjectNode status() {
        Instant now = clock.instant();
        Policy policy = state.snapshot().access().policy();
        ObjectNode out = RequestBody.JSON.createObjectNode();
        out.putObject("gateway")
                .put("version", info.version())
                .put("startedAt", info.startedAt().toString())
                .put("uptimeSeconds", Duration.between(info.startedAt(), now).toSeconds())
                .put("draining", state.draining())
                .put("transport", info.transport())
                .put("tls", info.tls());
        PolicyReloader.LastReload lastReload = reloader == null ? null : reloader.last();
        java.time.Instant loadedAt =
                reloader == null || reloader.loadedAt() == null ? info.startedAt() : reloader.loadedAt();
        out.putObject("policy")
                .put("source", policy.source().toString())
                .put("sha256", policy.sha256())
                .put("loadedAt", loadedAt.toString())
                .put(
                        "lastReload",
                        lastReload == null
                                ? null
                                : lastReload.at() + " " + lastReload.source() + ": "
                                        + (lastReload.applied() ? "applied, " : "refused, ") + lastReload.summary())
                .put("vendors", policy.vendors().size())
                .put("routes", policy.routes().size())
                .put("upstreams", policy.upstreams().size());
        ObjectNode global = out.putObject("global");
        Optional<Suspension> all = state.control().global(now);
        global.put("suspended", all.isPresent());
        all.ifPresent(s -> global.set("suspension", suspension(s)));
        out.putObject("controlStore").put("location", store.describe()).put("healthy", store.healthy());
        AuditLog audit = state.audit();
        if (audit != null) {
            out.putObject("audit")
                    .put("dir", audit.dir().toString())
                    .put("healthy", audit.healthy())
                    .put("accepting", audit.accepting())
                    .put("queued", audit.queued())
                    .put("written", audit.written())
                    .put("dropped", audit.dropped());
            ObjectNode auditNode = (ObjectNode) out.get("audit");
            AuditLog.Head head = audit.head();
            if (head != null) {
                auditNode
                        .putObject("head")
                        .put("seq", head.seq())
                        .put("hash", head.hash())
                        .put("keyId", head.keyId())
                        .put("time", head.time().toString())
                        .put("verifyWith", head.text());
            } else {
                auditNode.putNull("head");
            }
            auditNode.put("startProblem", audit.startProblem());
        }
        out.put("connections", state.connections().total());
        out.put("inFlight", state.inFlight());
        ArrayNode trips = out.putArray("tripwireTrips");
        policy.vendors().forEach(v -> lastTrip(v).ifPresent(t -> trips.add(t.put("vendor", v.id()))));
        return out;
    }

    /** Baselines, this hour's figures and the rules' states, of one vendor or (null) all. */
    ObjectNode tripwires(String id) {
        if (id != null) {
            find(id);
        }
        return tripwires.report(id);
    }

    private Optional<ObjectNode> lastTrip(Vendor vendor) {
        return tripwires.lastTrip(vendor.id()).map(dev.vendorgate.gateway.tripwire.TripwireView::trip);
    }

    ObjectNode vendors() {
        ObjectNode out = RequestBody.JSON.createObjectNode();
        ArrayNode list = out.putArray("vendors");
        for (Vendor vendor : state.snapshot().access().policy().vendors()) {
            list.add(vendor(vendor));
        }
        return out;
    }

    ObjectNode vendor(String id) {
        return vendor(find(id));
    }

    /** The vendor's traffic over the last hour or day ({@code window}), for the console's charts. */
    ObjectNode traffic(String id, java.util.Map<String, java.util.List<String>> query) {
        return TrafficView.series(state.metrics().traffic(), find(id).id(), query);
    }

    /** The vendor's clients and certificates with first and last seen, as this node saw them. */
    ObjectNode clients(String id) {
        return ClientsView.of(state.clients(), find(id).id(), store.node());
    }

    /** The tokens this node issued to the vendor lately, with whether each would be accepted now. */
    ObjectNode tokens(String id) {
        return TokensView.of(state.issuedTokens(), find(id).id(), state.control(), store.node(), clock.instant());
    }

    /** The fleet's nodes with their last heartbeat, and which acknowledged the last changes. */
    CompletableFuture<ObjectNode> fleet() {
        return FleetView.of(store, clock.instant());
    }

    private Vendor find(String id) {
        return state.snapshot()
                .access()
                .vendor(id)
                .orElseThrow(() -> new AdminException(
                        ProblemType.UNKNOWN_VENDOR, "No vendor '" + id + "' in the running policy."));
    }

    private ObjectNode vendor(Vendor vendor) {
        Instant now = clock.instant();
        ControlState control = state.control();
        ObjectNode out = RequestBody.JSON.createObjectNode();
        out.put("id", vendor.id())
                .put("name", vendor.name())
                .put("status", control.effectiveStatus(vendor, now).word())
                .put("policyStatus", vendor.status().word());
        Optional<Suspension> own = control.suspension(vendor.id(), now);
        if (own.isPresent()) {
            out.set("suspension", suspension(own.get()));
        } else {
            out.putNull("suspension");
        }
        out.put("globalSuspension", control.global(now).isPresent());
        Instant cutoff = control.credentialCutoff(vendor.id());
        out.put("credentialCutoff", cutoff == null ? null : cutoff.toString());
        Optional<ControlChange.Probation> probation = control.probation(vendor.id(), now);
        if (probation.isPresent()) {
            out.putObject("probation")
                    .put("since", probation.get().at().toString())
                    .put("operator", probation.get().operator())
                    .put(
                            "until",
                            probation.get().until() == null
                                    ? null
                                    : probation.get().until().toString());
            out.put("status", "probation");
        } else {
            out.putNull("probation");
        }
        out.set("tripwire", lastTrip(vendor).orElse(null));
        ArrayNode enrolled = out.putArray("enrolled");
        control.enrolledFor(vendor.id()).forEach(enrolled::add);
        Set<Channel> channels = state.connections().connections(vendor.id());
        int inFlight = 0;
        for (Channel channel : channels) {
            VendorConnection connection = VendorConnection.on(channel);
            inFlight += connection == null ? 0 : connection.activeExchanges();
        }
        out.put("connections", channels.size()).put("inFlight", inFlight);
        out.set("traffic", TrafficView.now(state.metrics().traffic(), vendor.id()));
        out.set("usage", UsageView.of(state.limiters().of(vendor.id()), channels.size(), now));
        ArrayNode routes = out.putArray("routes");
        vendor.routes().stream().sorted().forEach(routes::add);
        return out;
    }

    private static ObjectNode suspension(Suspension s) {
        ObjectNode out = RequestBody.JSON.createObjectNode();
        out.put("since", s.since().toString())
                .put("operator", s.operator())
                .put("reason", s.reason())
                .put("until", s.until() == null ? null : s.until().toString())
                .put("mode", s.mode() == null ? null : s.mode().word())
                .put("readOnly", s.readOnly());
        return out;
    }

    /** Suspends one vendor, or every vendor when {@code id} is {@link ControlChange#EVERY_VENDOR}. */
    CompletableFuture<ObjectNode> suspend(String id, RequestBody body, String operator) {
        boolean all = id.equals(ControlChange.EVERY_VENDOR);
        Vendor vendor = all ? null : find(id);
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
                    out.set("suspension", suspension(outcome.suspension()));
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
        Vendor vendor = all ? null : find(id);
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
        return durable(killSwitch.resume(id, operator, reason, full, probationUntil, suspended))
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
        Vendor vendor = find(id);
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
        return durable(killSwitch.endProbation(id, operator, reason, secondPerson))
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
        find(id);
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
        return durable(killSwitch.enroll(id, fingerprint, operator, reason, cutOff))
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

    /** Revokes a token (by jti), a client's tokens or a vendor's tokens. */
    CompletableFuture<ObjectNode> revoke(RequestBody body, String operator) {
        String reason = body.reason();
        String kindWord = body.text("kind", null);
        ControlChange.RevocationKind kind = kindWord == null ? null : ControlChange.RevocationKind.fromWord(kindWord);
        if (kind == null) {
            throw new AdminException(ProblemType.BAD_REQUEST, "'kind' must be token, client, vendor or key.");
        }
        String subject = body.text("subject", null);
        if (subject == null || subject.isBlank() || subject.length() > 512) {
            throw new AdminException(
                    ProblemType.BAD_REQUEST, "'subject' must name the token id, client id, vendor " + "or key id.");
        }
        if (kind == ControlChange.RevocationKind.VENDOR) {
            find(subject);
        }
        if (kind == ControlChange.RevocationKind.KEY
                && state.snapshot().tokens().isPresent()
                && subject.equals(
                        state.snapshot().tokens().get().keys().current().getKeyID())) {
            throw new AdminException(
                    ProblemType.CONFLICT,
                    "Key '" + subject + "' is the one signing tokens now; "
                            + "rotate first (gateway keys rotate --now --retire-old --dir KEYS), then retire it.");
        }
        Instant now = clock.instant();
        Instant expires = body.until("expires", now);
        if (kind == ControlChange.RevocationKind.TOKEN && expires == null) {
            expires = now.plus(TOKEN_REVOCATION_KEPT);
        }
        // revoked whether known or not (it may be another node's, or come later); the answer says which
        boolean token = kind == ControlChange.RevocationKind.TOKEN;
        Boolean known = token ? state.tokenSightings().known(subject) : null;
        Boolean already = token ? state.control().tokenRevoked(subject) : null;
        return durable(killSwitch.revoke(kind, subject, operator, reason, expires))
                .thenApply(change -> {
                    ObjectNode out = RequestBody.JSON.createObjectNode();
                    out.put("kind", change.kind().word())
                            .put("subject", change.subject())
                            .put("revokedAt", change.at().toString())
                            .put("durable", true);
                    if (token) {
                        out.put("known", known).put("alreadyRevoked", already);
                    }
                    return out;
                });
    }

    CompletableFuture<ObjectNode> reload(RequestBody body, String operator) {
        String reason = body.reason();
        if (body.bool("dryRun", false)) {
            return CompletableFuture.supplyAsync(reloader::preview, blocking).thenApply(result -> {
                ObjectNode out = RequestBody.JSON.createObjectNode();
                out.put("dryRun", true).put("valid", result.applied());
                ArrayNode errors = out.putArray("errors");
                result.errors().forEach(errors::add);
                if (result.policy() != null) {
                    out.put("sha256", result.policy().sha256());
                }
                ArrayNode changes = out.putArray("changes");
                result.changes().forEach(changes::add);
                ArrayNode notes = out.putArray("notes");
                result.notes().forEach(notes::add);
                return out;
            });
        }
        return CompletableFuture.supplyAsync(
                        () -> reloader.reload("admin-api", "admin call by " + operator + ": " + reason), blocking)
                .thenApply(result -> {
                    if (!result.applied()) {
                        ObjectNode extra = RequestBody.JSON.createObjectNode();
                        ArrayNode errors = extra.putArray("errors");
                        result.errors().forEach(errors::add);
                        throw new AdminException(
                                ProblemType.INVALID_POLICY,
                                "The policy has " + result.errors().size()
                                        + " error(s); the running policy stays in place.",
                                extra);
                    }
                    ObjectNode out = RequestBody.JSON.createObjectNode();
                    out.put("applied", true)
                            .put("vendors", result.policy().vendors().size())
                            .put("routes", result.policy().routes().size())
                            .put("sha256", result.policy().sha256());
                    ArrayNode changes = out.putArray("changes");
                    result.changes().forEach(changes::add);
                    ArrayNode notes = out.putArray("notes");
                    result.notes().forEach(notes::add);
                    return out;
                });
    }

    /** A report rendered for the wire: its content type and body. */
    record Rendered(String contentType, String body) {}

    /**
     * The audit report on one vendor from this gateway's trail ({@code since}, {@code from},
     * {@code to} as for {@code gateway audit report}; {@code format} json, csv or table); read off
     * the event loops. A vendor the trail has never seen, or no trail, is a 404 that says what
     * there is, never an empty report.
     */
    CompletableFuture<Rendered> report(String id, java.util.Map<String, java.util.List<String>> query) {
        AuditLog audit = state.audit();
        if (audit == null) {
            throw new AdminException(ProblemType.NOT_FOUND, "This gateway keeps no audit trail.");
        }
        Instant now = clock.instant();
        Instant from;
        Instant to;
        try {
            from = dev.vendorgate.gateway.audit.AuditReport.parseTime(
                    first(query, "since", first(query, "from", null)), now);
            to = dev.vendorgate.gateway.audit.AuditReport.parseTime(first(query, "to", null), now);
        } catch (java.time.format.DateTimeParseException e) {
            throw new AdminException(
                    ProblemType.BAD_REQUEST,
                    "'since', 'from' and 'to' must be a date (2026-11-28), a "
                            + "time (2026-11-28T10:00:00Z) or a duration ago (1h, 2d).");
        }
        String formatWord = first(query, "format", "json");
        dev.vendorgate.gateway.audit.AuditReportWriter.Format format;
        try {
            format = dev.vendorgate.gateway.audit.AuditReportWriter.Format.valueOf(
                    formatWord.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new AdminException(ProblemType.BAD_REQUEST, "'format' must be json, csv or table.");
        }
        return CompletableFuture.supplyAsync(
                () -> {
                    dev.vendorgate.gateway.audit.AuditReport report;
                    try {
                        report = dev.vendorgate.gateway.audit.AuditReport.build(
                                java.util.List.of(audit.dir()), id, from, to);
                    } catch (java.io.IOException e) {
                        throw new AdminException(
                                ProblemType.INTERNAL_ERROR, "The audit trail could not be read: " + e.getMessage());
                    }
                    String nothing = dev.vendorgate.gateway.audit.AuditReportWriter.nothingToReport(
                            report, java.util.List.of(audit.dir()));
                    if (nothing != null) {
                        throw new AdminException(ProblemType.UNKNOWN_VENDOR, nothing);
                    }
                    java.io.StringWriter text = new java.io.StringWriter();
                    dev.vendorgate.gateway.audit.AuditReportWriter.write(report, format, new java.io.PrintWriter(text));
                    String type = switch (format) {
                        case JSON -> "application/json";
                        case CSV -> "text/csv; charset=utf-8";
                        case TABLE -> "text/plain; charset=utf-8";
                    };
                    return new Rendered(type, text.toString());
                },
                blocking);
    }

    private static String first(java.util.Map<String, java.util.List<String>> query, String name, String fallback) {
        java.util.List<String> values = query.get(name);
        return values == null || values.isEmpty() ? fallback : values.get(0);
    }

    /** Maps a failure to make a change durable to a 503, keeping other admin errors as they are. */
    private static <T> CompletableFuture<T> durable(CompletableFuture<T> change) {
        return durable(change, "");
    }

    /** The same, with {@code note} added to the message of a change that could not be written. */
    private static <T> CompletableFuture<T> durable(CompletableFuture<T> change, String note) {
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
