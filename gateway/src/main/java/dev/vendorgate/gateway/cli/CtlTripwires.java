package dev.vendorgate.gateway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code gateway ctl tripwires [V]}: the baselines, this hour's figures and each rule's state. */
@Command(
        name = "tripwires",
        mixinStandardHelpOptions = true,
        description = "Tripwires: each vendor's baselines, this hour's figures, the rules' states and the last trip.")
final class CtlTripwires extends CtlCalls.Call {

    @Parameters(arity = "0..1", paramLabel = "VENDOR", description = "one vendor id")
    String vendor;

    @Override
    AdminClient.Reply send(AdminClient client) throws AdminClient.Unreachable {
        return client.get(vendor == null ? "/admin/tripwires" : "/admin/tripwires/" + vendor);
    }

    @Override
    void print(JsonNode body, PrintWriter out) {
        out.println("canaries: " + body.path("canaryAction").asText() + ", answered "
                + body.path("canaryResponse").asText() + "; webhook "
                + (body.path("webhook").asBoolean() ? "set" : "none"));
        for (JsonNode v : body.path("vendors")) {
            out.println();
            out.println(v.path("vendor").asText() + "  (" + v.path("canaries").asInt() + " canaries; first seen "
                    + v.path("firstSeen").asText("never") + "; "
                    + v.path("historyHours").asInt()
                    + " hours of history)");
            JsonNode now = v.path("thisHour");
            JsonNode base = v.path("baseline");
            out.printf("  %-16s %14s %14s%n", "", "THIS HOUR", "BASELINE");
            out.printf(
                    "  %-16s %14s %14s%n",
                    "bytes out",
                    now.path("bytesOut").asLong(),
                    base.path("bytesOut").asLong());
            out.printf(
                    "  %-16s %14s %14s%n",
                    "requests",
                    now.path("requests").asLong(),
                    base.path("requests").asLong());
            out.printf(
                    "  %-16s %14s %14s%n",
                    "objects",
                    now.path("objects").asLong(),
                    base.path("objects").asLong());
            StringBuilder networks = new StringBuilder();
            v.path("networks")
                    .forEach(n -> networks.append(networks.length() == 0 ? "" : ", ")
                            .append(n.path("network").asText()));
            out.println("  networks (" + v.path("networksKnown").asInt() + "): " + networks);
            StringBuilder hours = new StringBuilder();
            for (int h = 0; h < 24; h++) {
                if (v.path("activeHoursUtc").path(h).asInt() > 0) {
                    hours.append(hours.length() == 0 ? "" : " ").append(h);
                }
            }
            out.println("  active hours (UTC): " + (hours.length() == 0 ? "-" : hours));
            for (JsonNode r : v.path("rules")) {
                StringBuilder figures = new StringBuilder();
                r.path("figures")
                        .properties()
                        .forEach(f -> figures.append(' ')
                                .append(f.getKey())
                                .append('=')
                                .append(f.getValue().asText()));
                out.printf(
                        "  rule %-18s %-13s %-8s %s;%s%n",
                        r.path("rule").asText(),
                        r.path("kind").asText(),
                        r.path("action").asText(),
                        r.path("state").asText(),
                        figures);
            }
            JsonNode trip = v.path("lastTrip");
            if (trip.isObject()) {
                out.println("  TRIPPED " + trip.path("at").asText() + " by "
                        + trip.path("rule").asText() + " ("
                        + trip.path("action").asText() + ", "
                        + trip.path("outcome").asText() + "): "
                        + trip.path("reason").asText());
            }
        }
    }
}
