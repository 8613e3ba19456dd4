package dev.vendorgate.policy;

import java.net.URI;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The policy's {@code tripwires:} section: what a request to a canary path does, the baseline
 * rules that watch each vendor's own history, and where trips are announced. A trip either
 * suspends the vendor as after a breach (a human must resume it) or only raises an alert.
 *
 * @param canaryAction what a canary request does
 * @param canaryResponse what the tripping request is answered, so the caller is not told
 * @param canaries canary paths for every vendor (each vendor may add its own)
 * @param rules the baseline rules
 * @param webhook where trips and alerts are posted, if anywhere
 */
public record Tripwires(
        Action canaryAction,
        CanaryResponse canaryResponse,
        List<String> canaries,
        List<Rule> rules,
        Optional<Webhook> webhook) {

    /** No canaries, no rules, no webhook: what a policy without the section means. */
    public static final Tripwires NONE =
            new Tripwires(Action.SUSPEND, CanaryResponse.NOT_FOUND, List.of(), List.of(), Optional.empty());

    public Tripwires {
        Objects.requireNonNull(canaryAction, "canaryAction");
        Objects.requireNonNull(canaryResponse, "canaryResponse");
        canaries = List.copyOf(canaries);
        rules = List.copyOf(rules);
        Objects.requireNonNull(webhook, "webhook");
    }

    /** What a trip does. */
    public enum Action {
        /** A breach suspension of the vendor (durable, fleet-wide, connections cut, cut-off recorded). */
        SUSPEND,
        /** An audit record, a metric and the webhook only. */
        ALERT;

        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Action fromWord(String word) {
            return switch (word) {
                case "suspend" -> SUSPEND;
                case "alert" -> ALERT;
                default -> null;
            };
        }
    }

    /** How the request that touched a canary is answered, once the trip's action is done. */
    public enum CanaryResponse {
        /** A 404 problem, as for an object that does not exist. */
        NOT_FOUND,
        /** The upstream's own answer, forwarded as for any request. */
        UPSTREAM;

        public String word() {
            return this == NOT_FOUND ? "not-found" : "upstream";
        }

        public static CanaryResponse fromWord(String word) {
            return switch (word) {
                case "not-found" -> NOT_FOUND;
                case "upstream" -> UPSTREAM;
                default -> null;
            };
        }
    }

    /** What a baseline rule watches. */
    public enum Kind implements Worded {
        BYTES_OUT("bytesOut"),
        REQUESTS("requests"),
        OBJECTS("objects"),
        NEW_NETWORK("newNetwork"),
        OUTSIDE_HOURS("outsideHours");

        private final String word;

        Kind(String word) {
            this.word = word;
        }

        public String word() {
            return word;
        }

        /** Whether the rule compares an hour's figure with the vendor's baseline. */
        public boolean hourly() {
            return this == BYTES_OUT || this == REQUESTS || this == OBJECTS;
        }

        public static Kind fromWord(String word) {
            return Worded.fromWord(Kind.class, word);
        }
    }

    /**
     * One baseline rule.
     *
     * @param id the rule's name: in the operator {@code tripwire:<id>}, the metric and the audit
     * @param kind what it watches
     * @param action what a trip does
     * @param vendors the vendors it applies to; empty: every vendor
     * @param learningPeriod how long after a vendor is first seen the rule starts acting
     * @param factor (hourly kinds) how many times the baseline an hour may reach
     * @param floor (hourly kinds) the least an hour must reach to trip, whatever the baseline
     * @param notSeenFor (newNetwork) how long a network must have been unseen to count as new
     * @param hours (outsideHours) the declared working hours
     */
    public record Rule(
            String id,
            Kind kind,
            Action action,
            Set<String> vendors,
            Duration learningPeriod,
            double factor,
            long floor,
            Duration notSeenFor,
            Optional<WorkingHours> hours) {

        public Rule {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(action, "action");
            vendors = Set.copyOf(vendors);
            Objects.requireNonNull(learningPeriod, "learningPeriod");
            Objects.requireNonNull(notSeenFor, "notSeenFor");
            Objects.requireNonNull(hours, "hours");
        }

        public boolean appliesTo(String vendor) {
            return vendors.isEmpty() || vendors.contains(vendor);
        }
    }

    /**
     * Declared working hours in a time zone: the days and the time span of each day
     * ({@code from} before {@code to}; a span past midnight is written as two rules).
     */
    public record WorkingHours(ZoneId zone, Set<DayOfWeek> days, LocalTime from, LocalTime to) {

        public WorkingHours {
            Objects.requireNonNull(zone, "zone");
            days = Set.copyOf(days);
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
        }

        /** Whether {@code at} falls inside the working hours. */
        public boolean contains(java.time.Instant at) {
            java.time.ZonedDateTime local = at.atZone(zone);
            LocalTime time = local.toLocalTime();
            return days.contains(local.getDayOfWeek()) && !time.isBefore(from) && time.isBefore(to);
        }
    }

    /**
     * Where trips are posted (JSON), with a timeout per attempt and retries with backoff.
     */
    public record Webhook(URI url, Duration timeout, int retries) {

        public Webhook {
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(timeout, "timeout");
        }
    }
}
