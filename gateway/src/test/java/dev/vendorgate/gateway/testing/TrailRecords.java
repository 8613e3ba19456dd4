package dev.vendorgate.gateway.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** The records of an audit folder, as JSON, for tests that check what the trail says. */
public final class TrailRecords {

    private static final ObjectMapper JSON = new ObjectMapper();

    private TrailRecords() {}

    /** Every record of {@code type} in the folder now. */
    public static List<JsonNode> of(Path audit, String type) throws IOException {
        List<JsonNode> records = new ArrayList<>();
        try (Stream<Path> files = Files.list(audit)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".jsonl")).sorted().toList()) {
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
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (true) {
            for (JsonNode record : of(audit, "admin")) {
                if (wanted.test(record)) {
                    return record;
                }
            }
            if (System.nanoTime() > deadline) {
                return null;
            }
            Thread.sleep(50);
        }
    }
}
