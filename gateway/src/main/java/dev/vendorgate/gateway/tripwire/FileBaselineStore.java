package dev.vendorgate.gateway.tripwire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * Baselines in {@code tripwires.json} of the state folder, rewritten whole (temporary file,
 * then an atomic rename) every few seconds while they change. The format:
 * {@code {"vendors": {"acme": {"firstSeen": EPOCH_S, "hour": EPOCH_H, "current": [bytes, requests, objects],
 * "sketch": BASE64, "hours": {"EPOCH_H": [bytes, requests, objects]}, "networks": {"10.1.2.0/24": EPOCH_S}}}}}.
 */
final class FileBaselineStore implements BaselineStore {

    static final String FILE = "tripwires.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;

    FileBaselineStore(Path dir) {
        this.file = dir.resolve(FILE);
    }

    @Override
    public Map<String, VendorBaseline.Saved> load() throws IOException {
        Map<String, VendorBaseline.Saved> out = new HashMap<>();
        if (!Files.exists(file)) {
            return out;
        }
        JsonNode root = JSON.readTree(file.toFile());
        JsonNode vendors = root == null ? null : root.get("vendors");
        if (vendors == null || !vendors.isObject()) {
            throw new IOException(file + ": no \"vendors\" object");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = vendors.properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            out.put(e.getKey(), read(e.getValue()));
        }
        return out;
    }

    static VendorBaseline.Saved read(JsonNode v) {
        Map<Long, VendorBaseline.Hour> hours = new TreeMap<>();
        JsonNode h = v.path("hours");
        for (Iterator<Map.Entry<String, JsonNode>> it = h.properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            hours.put(Long.parseLong(e.getKey()), hour(e.getValue()));
        }
        Map<Long, Long> networks = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it =
                        v.path("networks").properties().iterator();
                it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            long key = Networks.parse(e.getKey());
            if (key != 0) {
                networks.put(key, e.getValue().asLong());
            }
        }
        long[] sketch = null;
        if (v.hasNonNull("sketch")) {
            byte[] bytes = Base64.getDecoder().decode(v.get("sketch").asText());
            java.nio.LongBuffer longs = java.nio.ByteBuffer.wrap(bytes).asLongBuffer();
            sketch = new long[longs.remaining()];
            longs.get(sketch);
        }
        return new VendorBaseline.Saved(
                v.path("firstSeen").asLong(-1),
                v.path("hour").asLong(-1),
                hour(v.path("current")),
                sketch,
                hours,
                networks);
    }

    private static VendorBaseline.Hour hour(JsonNode a) {
        return new VendorBaseline.Hour(
                a.path(0).asLong(), a.path(1).asLong(), a.path(2).asLong());
    }

    @Override
    public void save(Map<String, VendorBaseline.Saved> vendors) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode all = root.putObject("vendors");
        new TreeMap<>(vendors).forEach((vendor, saved) -> all.set(vendor, write(saved)));
        Path tmp = file.resolveSibling(FILE + ".tmp");
        Files.write(tmp, JSON.writeValueAsBytes(root));
        try (java.nio.channels.FileChannel channel =
                java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static ObjectNode write(VendorBaseline.Saved saved) {
        ObjectNode v = JSON.createObjectNode();
        v.put("firstSeen", saved.firstSeen()).put("hour", saved.hour());
        array(v.putArray("current"), saved.current());
        java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(saved.sketch().length * 8);
        bytes.asLongBuffer().put(saved.sketch());
        v.put("sketch", Base64.getEncoder().encodeToString(bytes.array()));
        ObjectNode hours = v.putObject("hours");
        saved.history().forEach((hour, figures) -> array(hours.putArray(Long.toString(hour)), figures));
        ObjectNode networks = v.putObject("networks");
        new TreeMap<>(saved.networks()).forEach((key, last) -> networks.put(Networks.describe(key), last));
        return v;
    }

    private static void array(ArrayNode a, VendorBaseline.Hour hour) {
        a.add(hour.bytesOut()).add(hour.requests()).add(hour.objects());
    }
}
