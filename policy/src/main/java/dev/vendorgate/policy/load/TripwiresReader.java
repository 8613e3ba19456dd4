package dev.vendorgate.policy.load;

import dev.vendorgate.policy.Tripwires;
import dev.vendorgate.policy.Vendor;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Reads the {@code tripwires} section and the vendors' {@code canaries} lists. */
final class TripwiresReader {

    private static final Set<String> TOP = Set.of("canaries", "rules", "webhook");
    private static final Set<String> CANARIES = Set.of("action", "response", "paths");
    private static final Set<String> RULE = Set.of(
            "id",
            "kind",
            "action",
            "vendors",
            "learningPeriod",
            "factor",
            "floor",
            "notSeenFor",
            "zone",
            "days",
            "hours");
    private static final Set<String> WEBHOOK = Set.of("url", "timeout", "retries");
    static final Duration DEFAULT_LEARNING = Duration.ofDays(7);
    static final Duration DEFAULT_NOT_SEEN_FOR = Duration.ofDays(30);
    static final Duration DEFAULT_WEBHOOK_TIMEOUT = Duration.ofSeconds(5);
    private static final Map<String, DayOfWeek> DAYS = Map.of(
            "mon",
            DayOfWeek.MONDAY,
            "tue",
            DayOfWeek.TUESDAY,
            "wed",
            DayOfWeek.WEDNESDAY,
            "thu",
            DayOfWeek.THURSDAY,
            "fri",
            DayOfWeek.FRIDAY,
            "sat",
            DayOfWeek.SATURDAY,
            "sun",
            DayOfWeek.SUNDAY);

    private final Problems problems;
    private final Set<String> vendorIds = new HashSet<>();

    TripwiresReader(Problems problems, List<Vendor> vendors) {
        this.problems = problems;
        vendors.forEach(v -> vendorIds.add(v.id()));
    }

    /** The section, or null after reporting its errors. */
    Tripwires read(YamlNode node) {
        MapReader r = MapReader.of(node, "tripwires", problems, TOP);
        if (r == null) {
            return null;
        }
        boolean ok = true;
        Tripwires.Action canaryAction = Tripwires.Action.SUSPEND;
        Tripwires.CanaryResponse response = Tripwires.CanaryResponse.NOT_FOUND;
        List<String> paths = List.of();
        if (r.has("canaries")) {
            MapReader c = MapReader.of(r.get("canaries"), r.pathOf("canaries"), problems, CANARIES);
            if (c == null) {
                ok = false;
            } else {
                canaryAction = action(c, Tripwires.Action.SUSPEND);
                String word = c.string("response", false);
                if (word != null) {
                    response = Tripwires.CanaryResponse.fromWord(word);
                    if (response == null) {
                        problems.add(
                                c.get("response"),
                                c.pathOf("response"),
                                "'" + word + "' is not one of not-found, upstream");
                    }
                }
                paths = canaries(c, "paths", problems);
                ok = canaryAction != null && response != null && paths != null;
            }
        }
        List<Tripwires.Rule> rules = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (MapReader.Item item : r.list("rules", false)) {
            Tripwires.Rule rule = rule(item);
            if (rule == null) {
                ok = false;
            } else if (!ids.add(rule.id())) {
                problems.add(item.node(), item.path() + ".id", "rule '" + rule.id() + "' is defined twice");
                ok = false;
            } else {
                rules.add(rule);
            }
        }
        Tripwires.Webhook webhook = null;
        if (r.has("webhook")) {
            webhook = webhook(r);
            ok &= webhook != null;
        }
        return ok ? new Tripwires(canaryAction, response, paths, rules, Optional.ofNullable(webhook)) : null;
    }

    private Tripwires.Rule rule(MapReader.Item item) {
        MapReader r = MapReader.of(item.node(), item.path(), problems, RULE);
        if (r == null) {
            return null;
        }
        String id = r.string("id", true);
        if (id != null && !ReadContext.ID.matcher(id).matches()) {
            problems.add(r.get("id"), r.pathOf("id"), "'" + id + "' " + ReadContext.ID_RULE);
            id = null;
        }
        String kindWord = r.string("kind", true);
        Tripwires.Kind kind = kindWord == null ? null : Tripwires.Kind.fromWord(kindWord);
        if (kindWord != null && kind == null) {
            problems.add(
                    r.get("kind"),
                    r.pathOf("kind"),
                    "'" + kindWord + "' is not one of bytesOut, requests, objects, newNetwork, outsideHours");
        }
        Tripwires.Action action = action(r, null);
        if (action == null && !r.has("action")) {
            r.missing("action");
        }
        Set<String> vendors = new LinkedHashSet<>();
        boolean ok = true;
        for (MapReader.StringItem vendor : r.strings("vendors", false)) {
            if (!vendorIds.contains(vendor.value())) {
                problems.add(vendor.node(), vendor.path(), "no vendor '" + vendor.value() + "' in this policy");
                ok = false;
            }
            vendors.add(vendor.value());
        }
        Duration learning = r.has("learningPeriod") && isZero(r.get("learningPeriod"))
                ? Duration.ZERO
                : r.duration("learningPeriod", DEFAULT_LEARNING);
        ok &= id != null && action != null && learning != null;
        if (kind == null) {
            return null;
        }
        double factor = 0;
        long floor = 0;
        Duration notSeenFor = DEFAULT_NOT_SEEN_FOR;
        Tripwires.WorkingHours hours = null;
        if (kind.hourly()) {
            Double f = r.positiveNumber("factor", null);
            Long fl = kind == Tripwires.Kind.BYTES_OUT
                    ? r.size("floor", null)
                    : r.integer("floor", 1, Long.MAX_VALUE, null);
            if (f == null && !r.has("factor")) {
                r.missing("factor");
            }
            if (fl == null && !r.has("floor")) {
                r.missing("floor");
            }
            if (f == null || fl == null) {
                return null;
            }
            factor = f;
            floor = fl;
        } else {
            only(r, "factor", kind);
            only(r, "floor", kind);
        }
        if (kind == Tripwires.Kind.NEW_NETWORK) {
            notSeenFor = r.duration("notSeenFor", DEFAULT_NOT_SEEN_FOR);
            if (notSeenFor == null) {
                return null;
            }
        } else {
            only(r, "notSeenFor", kind);
        }
        if (kind == Tripwires.Kind.OUTSIDE_HOURS) {
            hours = hours(r);
            if (hours == null) {
                return null;
            }
        } else {
            only(r, "zone", kind);
            only(r, "days", kind);
            only(r, "hours", kind);
        }
        return ok
                ? new Tripwires.Rule(
                        id, kind, action, vendors, learning, factor, floor, notSeenFor, Optional.ofNullable(hours))
                : null;
    }

    private static boolean isZero(YamlNode node) {
        return node instanceof YamlNode.Scalar s
                && (s.text().equals("0") || s.text().matches("0(ms|s|m|h|d)"));
    }

    private void only(MapReader r, String key, Tripwires.Kind kind) {
        if (r.has(key)) {
            problems.add(r.get(key), r.pathOf(key), "does not apply to a rule of kind " + kind.word());
        }
    }

    private Tripwires.WorkingHours hours(MapReader r) {
        String zoneText = r.string("zone", true);
        ZoneId zone = null;
        if (zoneText != null) {
            try {
                zone = ZoneId.of(zoneText);
            } catch (java.time.DateTimeException e) {
                problems.add(
                        r.get("zone"),
                        r.pathOf("zone"),
                        "'" + zoneText + "' is not a time zone; write a region such as Europe/Berlin or UTC");
            }
        }
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        if (!r.has("days")) {
            days.addAll(List.of(
                    DayOfWeek.MONDAY, DayOfWeek.TUESDAY, DayOfWeek.WEDNESDAY, DayOfWeek.THURSDAY, DayOfWeek.FRIDAY));
        }
        for (MapReader.StringItem day : r.strings("days", false)) {
            DayOfWeek d = DAYS.get(day.value());
            if (d == null) {
                problems.add(
                        day.node(),
                        day.path(),
                        "'" + day.value() + "' is not one of mon, tue, wed, thu, fri, sat, " + "sun");
                return null;
            }
            days.add(d);
        }
        String span = r.string("hours", true);
        LocalTime from = null;
        LocalTime to = null;
        if (span != null) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                            "([0-2][0-9]):([0-5][0-9])-([0-2][0-9]):([0-5][0-9])")
                    .matcher(span);
            if (m.matches() && Integer.parseInt(m.group(1)) < 24 && Integer.parseInt(m.group(3)) <= 24) {
                from = LocalTime.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
                int toHour = Integer.parseInt(m.group(3));
                to = toHour == 24 ? LocalTime.MAX : LocalTime.of(toHour, Integer.parseInt(m.group(4)));
            }
            if (from == null || !from.isBefore(to)) {
                problems.add(
                        r.get("hours"),
                        r.pathOf("hours"),
                        "'" + span + "' is not a span of the day such as "
                                + "\"08:00-19:00\" (start before end, 24-hour clock)");
                from = null;
            }
        }
        return zone == null || from == null ? null : new Tripwires.WorkingHours(zone, days, from, to);
    }

    private Tripwires.Webhook webhook(MapReader owner) {
        MapReader r = MapReader.of(owner.get("webhook"), owner.pathOf("webhook"), problems, WEBHOOK);
        if (r == null) {
            return null;
        }
        String text = r.string("url", true);
        URI url = null;
        if (text != null) {
            try {
                url = new URI(text);
                if (!("https".equals(url.getScheme()) || "http".equals(url.getScheme())) || url.getHost() == null) {
                    throw new URISyntaxException(text, "not http(s)");
                }
            } catch (URISyntaxException e) {
                // the value is not echoed: a webhook URL often carries its secret in the path
                problems.add(r.get("url"), r.pathOf("url"), "is not an http:// or https:// URL with a host");
                url = null;
            }
        }
        Duration timeout = r.duration("timeout", DEFAULT_WEBHOOK_TIMEOUT);
        Long retries = r.integer("retries", 0, 10, 3L);
        return url == null || timeout == null || retries == null
                ? null
                : new Tripwires.Webhook(url, timeout, retries.intValue());
    }

    private Tripwires.Action action(MapReader r, Tripwires.Action fallback) {
        String word = r.string("action", false);
        if (word == null) {
            return fallback;
        }
        Tripwires.Action action = Tripwires.Action.fromWord(word);
        if (action == null) {
            problems.add(r.get("action"), r.pathOf("action"), "'" + word + "' is not one of suspend, alert");
        }
        return action;
    }

    /**
     * A list of canary paths: canonical (as routes are matched), exact objects or prefixes ending
     * in {@code /}; null after reporting an error.
     */
    static List<String> canaries(MapReader r, String key, Problems problems) {
        List<String> out = new ArrayList<>();
        boolean ok = true;
        for (MapReader.StringItem item : r.strings(key, false)) {
            String path = item.value();
            String why = canonicalProblem(path);
            if (why != null) {
                problems.add(item.node(), item.path(), "'" + path + "' " + why);
                ok = false;
            } else {
                out.add(path);
            }
        }
        return ok ? out : null;
    }

    private static String canonicalProblem(String path) {
        if (!path.startsWith("/") || path.equals("/")) {
            return "must be a path below '/' (an object, or a prefix ending in '/')";
        }
        if (path.contains("//")
                || path.contains("?")
                || path.contains("%")
                || path.contains(";")
                || path.contains("\\")) {
            return "must be written decoded and canonical: no '//', '?', '%', ';' or '\\'";
        }
        for (String segment : path.substring(1).split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) {
                return "must not contain '.' or '..' segments";
            }
        }
        return null;
    }
}
