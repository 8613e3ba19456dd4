package dev.vendorgate.gateway.tripwire;

import dev.vendorgate.policy.Tripwires;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The baseline rules, evaluated for one vendor once a second on the tripwire thread: a few
 * comparisons of counters, so a bulk download trips within a second or two of the request that
 * crossed the line.
 */
final class RuleChecks {

    private RuleChecks() {}

    /** A rule's state for one vendor, for {@code ctl tripwires}. */
    record State(String rule, String kind, String action, String state, Map<String, String> figures) {}

    /** A trip found, before its action runs. */
    record Found(Tripwires.Rule rule, String reason, Map<String, String> figures) {}

    /** Whether {@code rule} still learns {@code vendor}'s habits at {@code now}. */
    static boolean learning(Tripwires.Rule rule, VendorBaseline baseline, long nowSeconds) {
        return baseline.firstSeen < 0
                || nowSeconds < baseline.firstSeen + rule.learningPeriod().toSeconds();
    }

    /**
     * The trips of the rules on {@code baseline} now.
     *
     * @param sinceLastTick requests since the last evaluation
     * @param sightings networks that showed up since the last evaluation
     */
    static List<Found> evaluate(
            List<Tripwires.Rule> rules,
            VendorBaseline baseline,
            Instant now,
            long sinceLastTick,
            List<VendorBaseline.Sighting> sightings) {
        long nowSeconds = now.getEpochSecond();
        List<Found> found = new ArrayList<>();
        VendorBaseline.Hour current = null;
        for (Tripwires.Rule rule : rules) {
            if (!rule.appliesTo(baseline.vendor) || learning(rule, baseline, nowSeconds)) {
                continue;
            }
            switch (rule.kind()) {
                case BYTES_OUT, REQUESTS, OBJECTS -> {
                    if (Long.valueOf(baseline.hour).equals(baseline.trippedHour.get(rule.id()))) {
                        continue;
                    }
                    if (current == null) {
                        current = baseline.current();
                    }
                    long figure = current.figure(rule.kind());
                    long normal = baseline.baseline(rule.kind());
                    long threshold = threshold(rule, normal);
                    if (figure > threshold) {
                        baseline.trippedHour.put(rule.id(), baseline.hour);
                        Map<String, String> figures = new LinkedHashMap<>();
                        figures.put("thisHour", Long.toString(figure));
                        figures.put("baseline", Long.toString(normal));
                        figures.put("threshold", Long.toString(threshold));
                        found.add(new Found(
                                rule,
                                name(rule.kind()) + " this hour " + figure + " > " + threshold + " ("
                                        + fmt(rule.factor()) + " x baseline " + normal + ", floor " + rule.floor()
                                        + ")",
                                figures));
                    }
                }
                case NEW_NETWORK -> {
                    for (VendorBaseline.Sighting s : sightings) {
                        if (s.previous() < 0
                                || s.previous() < nowSeconds - rule.notSeenFor().toSeconds()) {
                            String network = Networks.describe(s.network());
                            found.add(new Found(
                                    rule,
                                    "source network " + network
                                            + (s.previous() < 0
                                                    ? " never seen before"
                                                    : " not seen since " + Instant.ofEpochSecond(s.previous()))
                                            + " (rule: not seen for "
                                            + rule.notSeenFor().toDays() + "d)",
                                    Map.of(
                                            "network",
                                            network,
                                            "lastSeen",
                                            s.previous() < 0
                                                    ? "never"
                                                    : Instant.ofEpochSecond(s.previous())
                                                            .toString())));
                        }
                    }
                }
                case OUTSIDE_HOURS -> {
                    Tripwires.WorkingHours hours = rule.hours().orElseThrow();
                    if (sinceLastTick > 0
                            && !hours.contains(now)
                            && !Long.valueOf(baseline.hour).equals(baseline.trippedHour.get(rule.id()))) {
                        baseline.trippedHour.put(rule.id(), baseline.hour);
                        String local = now.atZone(hours.zone())
                                .toLocalDateTime()
                                .withNano(0)
                                .toString();
                        found.add(new Found(
                                rule,
                                sinceLastTick + " requests at " + local + " " + hours.zone()
                                        + ", outside the working hours " + hours.from() + "-" + hours.to(),
                                Map.of("requests", Long.toString(sinceLastTick), "localTime", local)));
                    }
                }
                default -> throw new IllegalStateException(rule.kind().toString());
            }
        }
        return found;
    }

    static long threshold(Tripwires.Rule rule, long normal) {
        return Math.max(rule.floor(), (long) Math.ceil(rule.factor() * normal));
    }

    /** Every rule's state for {@code baseline}, for display. */
    static List<State> states(List<Tripwires.Rule> rules, VendorBaseline baseline, Instant now) {
        List<State> out = new ArrayList<>();
        VendorBaseline.Hour current = baseline.current();
        for (Tripwires.Rule rule : rules) {
            if (!rule.appliesTo(baseline.vendor)) {
                continue;
            }
            Map<String, String> figures = new LinkedHashMap<>();
            String state = learning(rule, baseline, now.getEpochSecond())
                    ? "learning"
                            + (baseline.firstSeen < 0
                                    ? ""
                                    : " until "
                                            + Instant.ofEpochSecond(baseline.firstSeen)
                                                    .plus(rule.learningPeriod()))
                    : "armed";
            if (Long.valueOf(baseline.hour).equals(baseline.trippedHour.get(rule.id()))) {
                state = "tripped this hour";
            }
            if (rule.kind().hourly()) {
                long normal = baseline.baseline(rule.kind());
                figures.put("thisHour", Long.toString(current.figure(rule.kind())));
                figures.put("baseline", Long.toString(normal));
                figures.put("threshold", Long.toString(threshold(rule, normal)));
            } else if (rule.kind() == Tripwires.Kind.NEW_NETWORK) {
                figures.put(
                        "knownNetworks", Integer.toString(baseline.networks().size()));
                figures.put("notSeenFor", rule.notSeenFor().toDays() + "d");
            } else {
                Tripwires.WorkingHours hours = rule.hours().orElseThrow();
                figures.put("workingHours", hours.from() + "-" + hours.to() + " " + hours.zone() + " " + hours.days());
                figures.put("insideNow", Boolean.toString(hours.contains(now)));
            }
            out.add(new State(rule.id(), rule.kind().word(), rule.action().word(), state, figures));
        }
        return out;
    }

    private static String name(Tripwires.Kind kind) {
        return switch (kind) {
            case BYTES_OUT -> "bytes out";
            case REQUESTS -> "requests";
            case OBJECTS -> "distinct objects";
            case NEW_NETWORK, OUTSIDE_HOURS -> kind.word();
        };
    }

    private static String fmt(double factor) {
        return factor == Math.rint(factor) ? Long.toString((long) factor) : Double.toString(factor);
    }
}
