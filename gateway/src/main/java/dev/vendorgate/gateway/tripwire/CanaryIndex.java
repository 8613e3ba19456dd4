package dev.vendorgate.gateway.tripwire;

import dev.vendorgate.policy.Policy;
import dev.vendorgate.policy.Vendor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The canary paths of each vendor (its own and those for every vendor), matched on the
 * canonical path with ASCII case folded: an upstream that folds case would serve
 * {@code /Datasets/CANARY.bin} as the canary, so the tripwire must see it as one too.
 */
final class CanaryIndex {

    static final CanaryIndex EMPTY = new CanaryIndex(Map.of());

    /** One vendor's canaries: exact objects and prefixes (ending in '/'), lower case. */
    private record Paths(Set<String> exact, List<String> prefixes, Set<Integer> exactLengths) {}

    private final Map<String, Paths> byVendor;

    private CanaryIndex(Map<String, Paths> byVendor) {
        this.byVendor = byVendor;
    }

    static CanaryIndex of(Policy policy) {
        Map<String, Paths> byVendor = new HashMap<>();
        for (Vendor vendor : policy.vendors()) {
            Set<String> exact = new HashSet<>();
            List<String> prefixes = new ArrayList<>();
            List<String> all = new ArrayList<>(policy.tripwires().canaries());
            all.addAll(vendor.canaries());
            for (String path : all) {
                String folded = path.toLowerCase(Locale.ROOT);
                if (folded.endsWith("/")) {
                    prefixes.add(folded);
                    exact.add(folded.substring(0, folded.length() - 1)); // the folder itself
                } else {
                    exact.add(folded);
                }
            }
            if (!exact.isEmpty()) {
                Set<Integer> lengths = new HashSet<>();
                exact.forEach(e -> lengths.add(e.length()));
                byVendor.put(vendor.id(), new Paths(Set.copyOf(exact), List.copyOf(prefixes), Set.copyOf(lengths)));
            }
        }
        return new CanaryIndex(Map.copyOf(byVendor));
    }

    /** The canary {@code path} (canonical) of {@code vendor} hits, or null. */
    String match(String vendor, String path) {
        Paths paths = byVendor.get(vendor);
        if (paths == null) {
            return null;
        }
        // no lower-case copy of the path unless its length is that of an exact canary
        int bareLength = path.length() > 1 && path.endsWith("/") ? path.length() - 1 : path.length();
        if (paths.exactLengths().contains(bareLength)) {
            String bare = path.substring(0, bareLength).toLowerCase(Locale.ROOT);
            if (paths.exact().contains(bare)) {
                return bare;
            }
        }
        for (String prefix : paths.prefixes()) {
            if (path.regionMatches(true, 0, prefix, 0, prefix.length())) {
                return prefix;
            }
        }
        return null;
    }

    boolean isEmpty() {
        return byVendor.isEmpty();
    }
}
