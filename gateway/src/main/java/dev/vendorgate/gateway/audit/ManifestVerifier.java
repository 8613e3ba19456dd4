package dev.vendorgate.gateway.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks an exposure manifest against the trails it was built from: its signature (by the key
 * the trails' checkpoints use, or one pinned), that each trail verifies, that every record it
 * lists is in its trail with the hash it gives and under a signed checkpoint, and that its
 * contents are exactly what the trail's records of the vendor in the window give, no more and
 * no less.
 */
public final class ManifestVerifier {

    /** The outcome: null problem when the manifest holds. */
    public record Result(String problem, List<String> notes, String vendor, long objects, long uploads, long records) {
        public boolean ok() {
            return problem == null;
        }
    }

    private ManifestVerifier() {}

    /**
     * Verifies {@code file} against the trails in {@code dirs}.
     *
     * @param pinned the public key the manifest and the trails must be signed with; null to take
     *     each trail's own {@code audit-signing.pub}
     * @param fingerprint the key id the signing key must have; null for none
     */
    public static Result verify(Path file, List<Path> dirs, PublicKey pinned, String fingerprint) throws IOException {
        List<String> notes = new ArrayList<>();
        ExposureManifest.Parsed parsed;
        try {
            parsed = ExposureManifest.parse(Files.readAllBytes(file));
        } catch (IOException e) {
            return fail(e.getMessage(), notes);
        }
        PublicKey key = pinned;
        if (key == null) {
            List<String> seen = new ArrayList<>();
            for (Path dir : dirs) {
                PublicKey own = AuditSigner.folderKey(dir);
                if (own != null) {
                    seen.add(AuditSigner.keyId(own));
                    if (AuditSigner.keyId(own).equals(parsed.keyId())) {
                        key = own;
                    }
                }
            }
            if (key == null) {
                return fail(
                        "the manifest names signing key " + parsed.keyId() + ", which signs none of the given "
                                + "trails (their keys: " + (seen.isEmpty() ? "none" : String.join(", ", seen))
                                + "): it was "
                                + "signed by another key, or its key id was changed",
                        notes);
            }
            if (fingerprint == null) {
                notes.add("checked against the key the trails name (" + parsed.keyId() + "): pass --public-key or "
                        + "--key-fingerprint with a copy kept elsewhere for a check that means more");
            }
        }
        if (fingerprint != null && !AuditSigner.matches(key, fingerprint)) {
            return fail("the signing key is " + AuditSigner.keyId(key) + ", not the pinned " + fingerprint, notes);
        }
        if (!AuditSigner.keyId(key).equals(parsed.keyId())
                || !AuditSigner.verifyManifest(key, parsed.body(), parsed.signature())) {
            return fail(
                    "the manifest's signature does not verify with key " + AuditSigner.keyId(key) + ": it was "
                            + "changed after it was signed (a single byte is enough), or signed by another key",
                    notes);
        }
        JsonNode body = ExposureManifest.read(parsed.body());
        if (!parsed.keyId().equals(body.path("keyId").asText())) {
            return fail(
                    "the manifest's body names key " + body.path("keyId").asText() + " but it is signed by "
                            + parsed.keyId(),
                    notes);
        }
        String vendor = body.path("vendor").asText();
        Instant from;
        Instant to;
        try {
            from = body.path("from").isTextual()
                    ? Instant.parse(body.path("from").asText())
                    : null;
            to = body.path("to").isTextual() ? Instant.parse(body.path("to").asText()) : null;
        } catch (DateTimeParseException e) {
            return fail("the manifest's window is not readable", notes);
        }
        JsonNode trails = body.path("trails");
        List<Path> matched = new ArrayList<>();
        long[] limits = new long[trails.size()];
        for (int i = 0; i < trails.size(); i++) {
            JsonNode trail = trails.get(i);
            Path dir = match(trail, dirs, matched);
            if (dir == null) {
                return fail(
                        "no given folder holds the trail the manifest names as "
                                + trail.path("dir").asText() + " (files "
                                + trail.path("files").toString() + "): pass every --dir it was built from",
                        notes);
            }
            matched.add(dir);
            limits[i] = trail.path("throughSeq").asLong();
            AuditVerifier.Result checked =
                    AuditVerifier.verifyWith(dir, new AuditVerifier.Options(pinned, fingerprint, true, null));
            if (!checked.ok()) {
                return fail("the trail in " + dir + " does not verify: " + checked.problem(), notes);
            }
            Iterator<Map.Entry<String, JsonNode>> files =
                    trail.path("records").properties().iterator();
            while (files.hasNext()) {
                for (JsonNode position : files.next().getValue()) {
                    if (position.path(0).asLong() > checked.lastCheckpointSeq()) {
                        return fail(
                                "record seq " + position.path(0).asLong() + " in " + dir + " is after the trail's "
                                        + "last signed checkpoint (seq " + checked.lastCheckpointSeq()
                                        + "): nothing vouches "
                                        + "for it yet; verify again once the gateway has signed it",
                                notes);
                    }
                }
            }
        }
        Exposure again = Exposure.build(matched, vendor, from, to, limits);
        // through bytes and back, so that numbers compare as the manifest's parsed ones do
        JsonNode recomputed = ExposureManifest.read(ExposureManifest.body(again, parsed.keyId(), null));
        long records = 0;
        for (int i = 0; i < trails.size(); i++) {
            String problem = positions(trails.get(i), recomputed.path("trails").get(i), matched.get(i), vendor);
            if (problem != null) {
                return fail(problem, notes);
            }
            for (JsonNode list : trails.get(i).path("records")) {
                records += list.size();
            }
            if (!trails.get(i)
                    .path("heads")
                    .equals(recomputed.path("trails").get(i).path("heads"))) {
                return fail(
                        "the checkpoints the manifest relies on in " + matched.get(i) + " are not in the trail as "
                                + "recorded (it names " + trails.get(i).path("heads") + ", the trail has "
                                + recomputed.path("trails").get(i).path("heads") + ")",
                        notes);
            }
        }
        for (String part : List.of("objects", "uploads", "summary")) {
            if (!body.path(part).equals(recomputed.path(part))) {
                return fail(
                        "the manifest's " + part + " are not what its records in the trail give ("
                                + first(body.path(part), recomputed.path(part)) + ")",
                        notes);
            }
        }
        return new Result(
                null,
                notes,
                vendor,
                body.path("objects").size(),
                body.path("uploads").size(),
                records);
    }

    /** The folder holding every file a trail of the manifest names, not matched to another trail yet. */
    private static Path match(JsonNode trail, List<Path> dirs, List<Path> taken) throws IOException {
        for (Path dir : dirs) {
            if (taken.contains(dir)) {
                continue;
            }
            Set<String> names = new HashSet<>();
            AuditFiles.list(dir).forEach(f -> names.add(f.getFileName().toString()));
            boolean all = trail.path("files").size() > 0;
            for (JsonNode name : trail.path("files")) {
                all &= names.contains(name.asText());
            }
            if (all) {
                return dir;
            }
        }
        return null;
    }

    /** The first record the manifest and the trail disagree on, or null. */
    private static String positions(JsonNode listed, JsonNode found, Path dir, String vendor) {
        Map<Long, String[]> inTrail = new java.util.HashMap<>();
        found.path("records")
                .properties()
                .forEach(e -> e.getValue()
                        .forEach(p -> inTrail.put(
                                p.path(0).asLong(),
                                new String[] {e.getKey(), p.path(1).asText()})));
        Set<Long> seen = new HashSet<>();
        Iterator<Map.Entry<String, JsonNode>> files =
                listed.path("records").properties().iterator();
        while (files.hasNext()) {
            Map.Entry<String, JsonNode> file = files.next();
            for (JsonNode p : file.getValue()) {
                long seq = p.path(0).asLong();
                String[] there = inTrail.get(seq);
                if (there == null) {
                    return "record seq " + seq + " (" + file.getKey() + ") is not in the trail in " + dir + " as a "
                            + "record of " + vendor + " in the window: it was removed or changed";
                }
                if (!there[0].equals(file.getKey())
                        || !there[1].equals(p.path(1).asText())) {
                    return "record seq " + seq + " (" + file.getKey() + ") in " + dir + " has another hash than the "
                            + "manifest lists: the record was changed";
                }
                seen.add(seq);
            }
        }
        for (Map.Entry<Long, String[]> e : inTrail.entrySet()) {
            if (!seen.contains(e.getKey())) {
                return "the trail in " + dir + " has a record of " + vendor + " in the window that the manifest "
                        + "leaves out (seq " + e.getKey() + ", " + e.getValue()[0] + ")";
            }
        }
        return null;
    }

    private static String first(JsonNode listed, JsonNode found) {
        if (listed.isArray() && found.isArray()) {
            for (int i = 0; i < Math.max(listed.size(), found.size()); i++) {
                if (!listed.path(i).equals(found.path(i))) {
                    JsonNode which = listed.path(i).isMissingNode() ? found.path(i) : listed.path(i);
                    return "first difference at entry " + (i + 1) + ", "
                            + which.path("path").asText("?");
                }
            }
        }
        return "listed " + listed.size() + " entries, the trail gives " + found.size();
    }

    private static Result fail(String problem, List<String> notes) {
        return new Result(problem, notes, null, 0, 0, 0);
    }
}
