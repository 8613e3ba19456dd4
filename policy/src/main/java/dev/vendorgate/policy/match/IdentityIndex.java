package dev.vendorgate.policy.match;

import dev.vendorgate.policy.IdentityRule;
import dev.vendorgate.policy.PeerCertificate;
import dev.vendorgate.policy.SpiffeId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Finds whose certificate this is, without scanning every rule for the common cases:
 * fingerprints and SPIFFE IDs are hash lookups (a valid SPIFFE ID is looked up, then each of
 * its parent paths; an invalid one matches nothing); subject rules are checked in turn. Two owners may claim the same fingerprint
 * or SPIFFE ID: both are returned, so that the caller refuses the certificate as ambiguous
 * rather than the last rule added silently winning.
 *
 * @param <T> the owner type (vendor or operator)
 */
public final class IdentityIndex<T> {

    private final Map<String, List<T>> byFingerprint = new HashMap<>();
    private final Map<String, List<T>> bySpiffe = new HashMap<>();
    private final List<Map.Entry<IdentityRule.Subject, T>> bySubject = new ArrayList<>();

    public void add(IdentityRule rule, T owner) {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(owner, "owner");
        if (rule instanceof IdentityRule.Fingerprint f) {
            byFingerprint.computeIfAbsent(f.sha256(), k -> new ArrayList<>(1)).add(owner);
        } else if (rule instanceof IdentityRule.Spiffe s) {
            bySpiffe.computeIfAbsent(s.id(), k -> new ArrayList<>(1)).add(owner);
        } else {
            bySubject.add(Map.entry((IdentityRule.Subject) rule, owner));
        }
    }

    /** Every distinct owner with a rule matching the certificate, in no particular order. */
    public Set<T> owners(PeerCertificate certificate) {
        Set<T> owners = new LinkedHashSet<>(2);
        owners.addAll(byFingerprint.getOrDefault(certificate.sha256(), List.of()));
        for (String uri : certificate.uris()) {
            if (!uri.startsWith(SpiffeId.PREFIX) || SpiffeId.problem(uri) != null) {
                continue; // walking up an invalid ID ('..', '%2e') could land on someone else's prefix
            }
            String candidate = uri;
            int floor = SpiffeId.PREFIX.length();
            while (candidate.length() > floor) {
                owners.addAll(bySpiffe.getOrDefault(candidate, List.of()));
                int slash = candidate.lastIndexOf('/');
                if (slash < floor) {
                    break;
                }
                candidate = candidate.substring(0, slash);
            }
        }
        for (Map.Entry<IdentityRule.Subject, T> rule : bySubject) {
            if (rule.getKey().matches(certificate)) {
                owners.add(rule.getValue());
            }
        }
        return owners;
    }
}
