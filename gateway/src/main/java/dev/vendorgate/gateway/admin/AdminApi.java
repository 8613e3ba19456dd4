package dev.vendorgate.gateway.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vendorgate.gateway.audit.AuditLog;
import dev.vendorgate.gateway.control.ControlChange;
import dev.vendorgate.gateway.control.ControlState;
import dev.vendorgate.gateway.control.ControlStore;
import dev.vendorgate.gateway.control.Suspension;
import dev.vendorgate.gateway.frontend.VendorConnection;
import dev.vendorgate.gateway.http.ProblemType;
import dev.vendorgate.gateway.runtime.GatewayState;
import dev.vendorgate.gateway.runtime.KillSwitch;
import dev.vendorgate.gateway.runtime.PolicyReloader;
import dev.vendorgate.policy.Policy;
import dev.vendorgate.policy.Vendor;
import io.netty.channel.Channel;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
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
    private final VendorChanges changes;

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
        this.changes = new VendorChanges(state, killSwitch, clock);
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

    Vendor find(String id) {
        return find(state, id);
    }

    static Vendor find(GatewayState state, String id) {
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

    static ObjectNode suspension(Suspension s) {
        ObjectNode out = RequestBody.JSON.createObjectNode();
        out.put("since", s.since().toString())
                .put("operator", s.operator())
                .put("reason", s.reason())
                .put("until", s.until() == null ? null : s.until().toString())
                .put("mode", s.mode() == null ? null : s.mode().word())
                .put("readOnly", s.readOnly());
        return out;
    }

    CompletableFuture<ObjectNode> suspend(String id, RequestBody body, String operator) {
        return changes.suspend(id, body, operator);
    }

    CompletableFuture<ObjectNode> resume(String id, RequestBody body, String operator) {
        return changes.resume(id, body, operator);
    }

    CompletableFuture<ObjectNode> endProbation(String id, RequestBody body, String operator) {
        return changes.endProbation(id, body, operator);
    }

    CompletableFuture<ObjectNode> enroll(String id, RequestBody body, String operator) {
        return changes.enroll(id, body, operator);
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

    /** The audit report on one vendor from this gateway's trail: see {@link ReportView}. */
    CompletableFuture<Rendered> report(String id, java.util.Map<String, java.util.List<String>> query) {
        return ReportView.report(state.audit(), clock.instant(), blocking, id, query);
    }

    /** Maps a failure to make a change durable to a 503, keeping other admin errors as they are. */
    private static <T> CompletableFuture<T> durable(CompletableFuture<T> change) {
        return VendorChanges.durable(change, "");
    }
}
