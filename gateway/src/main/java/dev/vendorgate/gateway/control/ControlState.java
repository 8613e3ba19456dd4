package dev.vendorgate.gateway.control;

import dev.vendorgate.policy.Vendor;
import dev.vendorgate.policy.VendorStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The runtime control state: suspensions set by operators, token revocations and quota usage.
 * Immutable; each change makes a new state that is swapped in whole. Runtime suspensions are
 * kept apart from the policy, so editing or reloading the policy can never lift one.
 */
public final class ControlState {

    public static final ControlState EMPTY =
            new ControlState(Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), Map.of());

    /** Credential cut-offs after breaches, by vendor: the latest instant, recorded when. */
    private Map<String, ControlChange.Cutoff> credentialCutoffs = Map.of();
    /** Certificates admitted again after a cut-off, by SHA-256. */
    private Map<String, ControlChange.Enroll> enrolled = Map.of();
    /** Vendors on probation after a breach, by vendor. */
    private Map<String, ControlChange.Probation> probations = Map.of();

    private final Map<String, Suspension> suspensions;
    private final Map<String, Instant> vendorCutoffs;
    // the credential maps above are set once, right after construction, before the state is published
    private final Map<String, Instant> clientCutoffs;
    private final Map<String, Instant> revokedTokens;
    private final Map<String, ControlChange.Usage> usage;
    /** Signing keys retired by {@code kid}, with when. */
    private final Map<String, Instant> retiredKeys;

    private ControlState(
            Map<String, Suspension> suspensions,
            Map<String, Instant> vendorCutoffs,
            Map<String, Instant> clientCutoffs,
            Map<String, Instant> revokedTokens,
            Map<String, ControlChange.Usage> usage,
            Map<String, Instant> retiredKeys) {
        this.suspensions = suspensions;
        this.vendorCutoffs = vendorCutoffs;
        this.clientCutoffs = clientCutoffs;
        this.revokedTokens = revokedTokens;
        this.usage = usage;
        this.retiredKeys = retiredKeys;
    }

    /** The state after {@code change}. */
    public ControlState apply(ControlChange change) {
        if (change instanceof ControlChange.Cutoff c) {
            ControlChange.Cutoff existing = credentialCutoffs.get(c.vendor());
            ControlChange.Cutoff kept = existing == null
                    ? c
                    : new ControlChange.Cutoff(
                            c.vendor(),
                            existing.cutoff().isAfter(c.cutoff()) ? existing.cutoff() : c.cutoff(),
                            existing.at().isAfter(c.at()) ? existing.at() : c.at(),
                            c.operator(),
                            c.reason());
            Map<String, ControlChange.Cutoff> next = new HashMap<>(credentialCutoffs);
            next.put(c.vendor(), kept);
            return withCredentials(Map.copyOf(next), enrolled);
        }
        if (change instanceof ControlChange.Probation p) {
            Map<String, ControlChange.Probation> next = new HashMap<>(probations);
            next.put(p.vendor(), p);
            ControlState state = withCredentials(credentialCutoffs, enrolled);
            state.probations = Map.copyOf(next);
            return state;
        }
        if (change instanceof ControlChange.EndProbation e) {
            Map<String, ControlChange.Probation> next = new HashMap<>(probations);
            ControlChange.Probation on = next.get(e.vendor());
            if (on == null || on.at().isAfter(e.at())) {
                return this; // nothing to end, or a later probation than the one this ended
            }
            next.remove(e.vendor());
            ControlState state = withCredentials(credentialCutoffs, enrolled);
            state.probations = Map.copyOf(next);
            return state;
        }
        if (change instanceof ControlChange.Enroll e) {
            Map<String, ControlChange.Enroll> next = new HashMap<>(enrolled);
            next.merge(e.sha256(), e, (old, neu) -> neu.at().isAfter(old.at()) ? neu : old);
            return withCredentials(credentialCutoffs, Map.copyOf(next));
        }
        ControlState next = applyOther(change);
        if (next != this) {
            next.credentialCutoffs = credentialCutoffs;
            next.enrolled = enrolled;
            next.probations = probations;
        }
        return next;
    }

    private ControlState withCredentials(
            Map<String, ControlChange.Cutoff> cutoffs, Map<String, ControlChange.Enroll> enrollments) {
        ControlState next =
                new ControlState(suspensions, vendorCutoffs, clientCutoffs, revokedTokens, usage, retiredKeys);
        next.credentialCutoffs = cutoffs;
        next.enrolled = enrollments;
        next.probations = probations;
        return next;
    }

    /** The vendor's probation in force at {@code now}, if any. */
    public Optional<ControlChange.Probation> probation(String vendor, Instant now) {
        ControlChange.Probation p = probations.get(vendor);
        return p != null && (p.until() == null || now.isBefore(p.until())) ? Optional.of(p) : Optional.empty();
    }

    /** Whether the vendor's current (or latest) suspension was made with a breach cut-off. */
    public boolean suspendedForBreach(String vendor) {
        Suspension s = suspensions.get(vendor);
        ControlChange.Cutoff c = credentialCutoffs.get(vendor);
        return s != null && c != null && !c.at().isBefore(s.since());
    }

    /**
     * The credential cut-off of a vendor after a breach: its certificates with an earlier
     * {@code notBefore} and tokens issued earlier are refused. Null when there is none.
     */
    public Instant credentialCutoff(String vendor) {
        ControlChange.Cutoff cutoff = credentialCutoffs.get(vendor);
        return cutoff == null ? null : cutoff.cutoff();
    }

    /** Whether the certificate was enrolled for the vendor after its latest cut-off was recorded. */
    public boolean enrolled(String vendor, String sha256) {
        ControlChange.Enroll enroll = enrolled.get(sha256);
        ControlChange.Cutoff cutoff = credentialCutoffs.get(vendor);
        return enroll != null
                && enroll.vendor().equals(vendor)
                && (cutoff == null || enroll.at().isAfter(cutoff.at()));
    }

    /** The certificates enrolled for a vendor since its latest cut-off, by SHA-256. */
    public java.util.List<String> enrolledFor(String vendor) {
        return enrolled.values().stream()
                .filter(e -> enrolled(vendor, e.sha256()))
                .map(ControlChange.Enroll::sha256)
                .sorted()
                .toList();
    }

    private ControlState applyOther(ControlChange change) {
        if (change instanceof ControlChange.Suspend s) {
            Map<String, Suspension> next = new HashMap<>(suspensions);
            next.put(s.vendor(), stricter(suspensions.get(s.vendor()), Suspension.of(s)));
            Map<String, Instant> cutoffs = vendorCutoffs;
            if (!s.readOnly()) {
                // a suspension kills every token issued before it, for good
                cutoffs = later(vendorCutoffs, s.vendor(), s.at());
            }
            return new ControlState(Map.copyOf(next), cutoffs, clientCutoffs, revokedTokens, usage, retiredKeys);
        }
        if (change instanceof ControlChange.Resume r) {
            Map<String, Suspension> next = new HashMap<>(suspensions);
            next.remove(r.vendor());
            return new ControlState(Map.copyOf(next), vendorCutoffs, clientCutoffs, revokedTokens, usage, retiredKeys);
        }
        if (change instanceof ControlChange.Revoke r) {
            return switch (r.kind()) {
                case TOKEN -> {
                    Map<String, Instant> next = new HashMap<>(revokedTokens);
                    next.put(r.subject(), r.expires() == null ? Instant.MAX : r.expires());
                    yield new ControlState(
                            suspensions, vendorCutoffs, clientCutoffs, Map.copyOf(next), usage, retiredKeys);
                }
                case CLIENT ->
                    new ControlState(
                            suspensions,
                            vendorCutoffs,
                            later(clientCutoffs, r.subject(), r.at()),
                            revokedTokens,
                            usage,
                            retiredKeys);
                case VENDOR ->
                    new ControlState(
                            suspensions,
                            later(vendorCutoffs, r.subject(), r.at()),
                            clientCutoffs,
                            revokedTokens,
                            usage,
                            retiredKeys);
                case KEY ->
                    retiredKeys.containsKey(r.subject())
                            ? this
                            : new ControlState(
                                    suspensions,
                                    vendorCutoffs,
                                    clientCutoffs,
                                    revokedTokens,
                                    usage,
                                    with(retiredKeys, r.subject(), r.at()));
            };
        }
        ControlChange.Usage u = (ControlChange.Usage) change;
        Map<String, ControlChange.Usage> next = new HashMap<>(usage);
        next.merge(u.vendor(), u, (old, neu) -> neu.period().isBefore(old.period()) ? old : neu);
        return new ControlState(
                suspensions, vendorCutoffs, clientCutoffs, revokedTokens, Map.copyOf(next), retiredKeys);
    }

    /**
     * What holds after a suspension {@code added} meets the one on record: a suspension in force is
     * never loosened by another (only a resume lifts it). A full suspension replaces a read-only
     * one; otherwise the one in force stays. Between two of the same strictness the earlier
     * stays, so nodes that hear of two concurrent suspensions in either order end in the same state.
     */
    static Suspension stricter(Suspension existing, Suspension added) {
        if (existing == null || !existing.activeAt(added.since())) {
            return added;
        }
        if (existing.readOnly() != added.readOnly()) {
            return existing.readOnly() ? added : existing;
        }
        int order = existing.since().compareTo(added.since());
        if (order == 0) {
            order = (existing.operator() + existing.reason()).compareTo(added.operator() + added.reason());
        }
        return order <= 0 ? existing : added;
    }

    private static Map<String, Instant> with(Map<String, Instant> map, String key, Instant at) {
        Map<String, Instant> next = new HashMap<>(map);
        next.put(key, at);
        return Map.copyOf(next);
    }

    private static Map<String, Instant> later(Map<String, Instant> cutoffs, String key, Instant at) {
        Instant existing = cutoffs.get(key);
        if (existing != null && !existing.isBefore(at)) {
            return cutoffs;
        }
        Map<String, Instant> next = new HashMap<>(cutoffs);
        next.put(key, at);
        return Map.copyOf(next);
    }

    /** The vendor's own suspension in force at {@code now}, if any. */
    public Optional<Suspension> suspension(String vendor, Instant now) {
        Suspension s = suspensions.get(vendor);
        return s != null && s.activeAt(now) ? Optional.of(s) : Optional.empty();
    }

    /** The global switch, if on at {@code now}. */
    public Optional<Suspension> global(Instant now) {
        return suspension(ControlChange.EVERY_VENDOR, now);
    }

    /**
     * The status a vendor is in: the strictest of the policy's status, its own runtime
     * suspension and the global switch.
     */
    public VendorStatus effectiveStatus(Vendor vendor, Instant now) {
        VendorStatus status = vendor.status();
        if (status == VendorStatus.SUSPENDED) {
            return status;
        }
        Suspension own = suspensions.get(vendor.id());
        Suspension all = suspensions.get(ControlChange.EVERY_VENDOR);
        boolean ownActive = own != null && own.activeAt(now);
        boolean allActive = all != null && all.activeAt(now);
        if (ownActive && !own.readOnly() || allActive && !all.readOnly()) {
            return VendorStatus.SUSPENDED;
        }
        if (ownActive || allActive || probation(vendor.id(), now).isPresent()) {
            return VendorStatus.READ_ONLY;
        }
        return status;
    }

    /** Tokens of the vendor issued before this instant are dead (suspension or revocation), or null. */
    public Instant vendorCutoff(String vendor) {
        Instant own = vendorCutoffs.get(vendor);
        Instant all = vendorCutoffs.get(ControlChange.EVERY_VENDOR);
        if (own == null) {
            return all;
        }
        return all == null || own.isAfter(all) ? own : all;
    }

    /** Tokens of the client issued before this instant are dead, or null. */
    public Instant clientCutoff(String clientId) {
        return clientCutoffs.get(clientId);
    }

    /** Whether the signing key {@code kid} was retired: no token it signed is accepted. */
    public boolean keyRetired(String kid) {
        return kid != null && retiredKeys.containsKey(kid);
    }

    /** Whether the token id is revoked. */
    public boolean tokenRevoked(String jti) {
        return revokedTokens.containsKey(jti);
    }

    /**
     * Every revocation in force, for listing: token ids with when their revocation lapses
     * ({@link Instant#MAX}: never), and the clients, vendors and signing keys whose tokens are
     * refused, with the instant from which (tokens issued before it, or since the key was retired).
     * A vendor's suspension revokes its earlier tokens too, so it shows here as a vendor entry.
     */
    public Revocations revocations() {
        return new Revocations(revokedTokens, clientCutoffs, vendorCutoffs, retiredKeys);
    }

    /** What {@link #revocations()} gives. */
    public record Revocations(
            Map<String, Instant> tokens,
            Map<String, Instant> clients,
            Map<String, Instant> vendors,
            Map<String, Instant> keys) {}

    /** The last recorded usage of the vendor's quota period, if any. */
    public Optional<ControlChange.Usage> usage(String vendor) {
        return Optional.ofNullable(usage.get(vendor));
    }

    /** Every suspension on record (in force or expired), by vendor id. */
    public Map<String, ControlChange.Probation> probations() {
        return probations;
    }

    /** Every suspension on record (in force or expired), by vendor id. */
    public Map<String, Suspension> allSuspensions() {
        return suspensions;
    }

    public Map<String, Suspension> suspensions() {
        return suspensions;
    }

    /**
     * The fewest changes that rebuild this state, for compacting the journal. Revocations of
     * tokens that expired before {@code now} are dropped.
     */
    public List<ControlChange> asChanges(Instant now) {
        List<ControlChange> changes = new ArrayList<>();
        vendorCutoffs.forEach((vendor, at) -> changes.add(new ControlChange.Revoke(
                ControlChange.RevocationKind.VENDOR, vendor, at, "compaction", "carried over", null)));
        clientCutoffs.forEach((client, at) -> changes.add(new ControlChange.Revoke(
                ControlChange.RevocationKind.CLIENT, client, at, "compaction", "carried over", null)));
        retiredKeys.forEach((kid, at) -> changes.add(new ControlChange.Revoke(
                ControlChange.RevocationKind.KEY, kid, at, "compaction", "carried over", null)));
        revokedTokens.forEach((jti, expires) -> {
            if (expires.isAfter(now)) {
                changes.add(new ControlChange.Revoke(
                        ControlChange.RevocationKind.TOKEN,
                        jti,
                        now,
                        "compaction",
                        "carried over",
                        expires.equals(Instant.MAX) ? null : expires));
            }
        });
        // suspensions after the cutoffs: replaying a suspension sets a cutoff no later than the one carried over
        suspensions.values().stream().filter(s -> s.activeAt(now)).forEach(s -> changes.add(s.toChange()));
        changes.addAll(usage.values());
        changes.addAll(credentialCutoffs.values());
        changes.addAll(enrolled.values());
        changes.addAll(probations.values());
        return changes;
    }
}
