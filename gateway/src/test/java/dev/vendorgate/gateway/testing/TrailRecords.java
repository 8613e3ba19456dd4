package dev.vendorgate.gateway.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/** The records of an audit folder, as JSON, for tests that check what the trail says. */
public final class TrailRecords {

    private static final ObjectMapper JSON = new ObjectMapper();

    private TrailRecords() {}

    /** Every record of {@code type} in the folder now. */
    public static List<JsonNode> of(Path audit, String type) throws IOException {
        List<JsonNode> records = new ArrayList<>();
        try (Stream<Path> files = Files.list(audit)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".jsonl"))
                    .sorted()
                    .toList()) {
                for (String line : Files.readAllLines(file)) {
                    JsonNode node = JSON.readTree(line);
                    if (type.equals(node.path("type").asText())) {
                        records.add(node);
                    }
                }
            }
        }
        return records;
    }

    /**
     * The first admin record matching {@code wanted}, waiting for it up to fifteen seconds (the
     * trail is written off the request path); null if none came.
     */
    public static JsonNode awaitAdmin(Path audit, Predicate<JsonNode> wanted) throws IOException, InterruptedException {
        try {
            return Awaitility.await("an admin record in " + audit)
                    .atMost(Duration.ofSeconds(15))
                    .pollInterval(Duration.ofMillis(50))
                    .until(
                            () -> of(audit, "admin").stream()
                                    .filter(wanted)
                                    .findFirst()
                                    .orElse(null),
                            Objects::nonNull);
        } catch (ConditionTimeoutException none) {
            return null;
        }
    }
}
