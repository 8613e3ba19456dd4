package dev.vendorgate.gateway.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The signed form of an {@link Exposure}: one JSON object whose first bytes name the format, the
 * key and the signature, and whose {@code manifest} member is the body exactly as signed, byte
 * for byte. So a changed byte anywhere (a space included) fails the signature, and the body can
 * be read with any JSON tool.
 */
public final class ExposureManifest {

    public static final String FORMAT = "vendorgate-exposure-manifest/1";
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final Pattern LAYOUT = Pattern.compile("\\A\\{\"format\":\"" + Pattern.quote(FORMAT)
            + "\",\"keyId\":\"([0-9a-f]{16})\",\"signature\":\"([A-Za-z0-9_-]{16,200})\",\"manifest\":");
    private static final byte[] END = "}\n".getBytes(StandardCharsets.US_ASCII);

    /** A manifest file taken apart: who signed it, the signature and the signed body. */
    public record Parsed(String keyId, String signature, byte[] body) {}

    private ExposureManifest() {}

    /** The manifest's body: what was exposed, and the chain positions and checkpoints it rests on. */
    public static ObjectNode body(Exposure e, String keyId, Instant builtAt) {
        ObjectNode out = MAPPER.createObjectNode();
        out.put("vendor", e.vendor).put("from", text(e.from)).put("to", text(e.to)).put("builtAt", text(builtAt));
        out.put("keyId", keyId);
        out.set("summary", summary(e));
        ArrayNode objects = out.putArray("objects");
        e.objects.forEach((path, s) -> {
            ObjectNode o = objects.addObject().put("path", path).put("bytes", s.bytes).put("count", s.count)
                    .put("partial", s.partial).put("onProbation", s.onProbation)
                    .put("first", text(s.first)).put("last", text(s.last));
            strings(o.putArray("clients"), s.clients);
            strings(o.putArray("certificates"), s.certificates);
            strings(o.putArray("addresses"), s.addresses);
            strings(o.putArray("tokens"), s.tokens);
        });
        ArrayNode uploads = out.putArray("uploads");
        e.uploads.stream().sorted(Comparator.comparing(Exposure.Upload::time).thenComparingInt(Exposure.Upload::trail)
                .thenComparingLong(Exposure.Upload::seq)).forEach(u -> uploads.addObject()
                .put("time", u.time().toString()).put("method", u.method()).put("path", u.path())
                .put("bytes", u.bytes()).put("status", u.status()).put("decision", u.decision())
                .put("reason", u.reason()).put("client", u.client()).put("certificate", u.certSha256())
                .put("address", u.remote()).put("token", u.tokenId()).put("onProbation", u.probation())
                .put("trail", u.trail()).put("seq", u.seq()));
        ArrayNode trails = out.putArray("trails");
        for (Exposure.Trail t : e.trails) {
            ObjectNode node = trails.addObject().put("dir", t.dir).put("throughSeq", t.throughSeq);
            strings(node.putArray("files"), t.files);
            ArrayNode heads = node.putArray("heads");
            for (Exposure.Head head : t.covering == null || t.covering.equals(t.latest) ? Arrays.asList(t.latest)
                    : List.of(t.covering, t.latest)) {
                if (head != null) {
                    heads.addObject().put("seq", head.seq()).put("hash", head.hash()).put("time", head.time());
                }
            }
            ObjectNode records = node.putObject("records");
            t.records.forEach((file, list) -> {
                ArrayNode positions = records.putArray(file);
                list.forEach(p -> positions.addArray().add((Long) p[0]).add((String) p[1]));
            });
        }
        return out;
    }

    /** Totals: objects, fetches, bytes served, uploads, bytes received, records on probation and unsigned. */
    public static ObjectNode summary(Exposure e) {
        ObjectNode s = MAPPER.createObjectNode();
        s.put("objects", e.objects.size());
        s.put("fetches", e.objects.values().stream().mapToLong(o -> o.count).sum());
        s.put("bytesServed", e.objects.values().stream().mapToLong(o -> o.bytes).sum());
        s.put("partialFetches", e.objects.values().stream().mapToLong(o -> o.partial).sum());
        s.put("uploads", e.uploads.size());
        s.put("bytesReceived", e.uploads.stream().mapToLong(Exposure.Upload::bytes).sum());
        s.put("onProbation", e.objects.values().stream().mapToLong(o -> o.onProbation).sum()
                + e.uploads.stream().filter(Exposure.Upload::probation).count());
        s.put("vendorRequestsInWindow", e.inWindow);
        s.put("unsignedRecords", e.unsigned());
        return s;
    }

    private static void strings(ArrayNode array, Iterable<String> values) {
        values.forEach(array::add);
    }

    private static String text(Instant time) {
        return time == null ? null : time.toString();
    }

    /** The manifest file: the body signed by {@code signer}. */
    public static byte[] signed(ObjectNode body, AuditSigner signer) throws IOException {
        byte[] bodyBytes = MAPPER.writeValueAsBytes(body);
        String head = "{\"format\":\"" + FORMAT + "\",\"keyId\":\"" + signer.keyId() + "\",\"signature\":\""
                + signer.signManifest(bodyBytes) + "\",\"manifest\":";
        byte[] prefix = head.getBytes(StandardCharsets.US_ASCII);
        byte[] out = Arrays.copyOf(prefix, prefix.length + bodyBytes.length + END.length);
        System.arraycopy(bodyBytes, 0, out, prefix.length, bodyBytes.length);
        System.arraycopy(END, 0, out, prefix.length + bodyBytes.length, END.length);
        return out;
    }

    /** Takes a manifest file apart; an {@link IOException} says why it is not one. */
    public static Parsed parse(byte[] file) throws IOException {
        String start = new String(file, 0, Math.min(file.length, 400), StandardCharsets.ISO_8859_1);
        Matcher m = LAYOUT.matcher(start);
        if (!m.find()) {
            throw new IOException("not an exposure manifest: it does not begin with the format, key id and signature "
                    + "of one (" + FORMAT + "); its first bytes were changed, or it is another file");
        }
        int bodyStart = m.end();
        if (file.length < bodyStart + END.length
                || !Arrays.equals(file, file.length - END.length, file.length, END, 0, END.length)) {
            throw new IOException("not a complete exposure manifest: it must end with '}' and a newline (cut or "
                    + "changed at its end)");
        }
        return new Parsed(m.group(1), m.group(2), Arrays.copyOfRange(file, bodyStart, file.length - END.length));
    }

    static byte[] bytes(ObjectNode body) throws IOException {
        return MAPPER.writeValueAsBytes(body);
    }

    /** Reads a body once its signature has verified. */
    static JsonNode read(byte[] body) throws IOException {
        return MAPPER.readTree(body);
    }

    /** The parts of a body that verify-manifest recomputes from the trail and compares. */
    static final Set<String> RECOMPUTED = Set.of("summary", "objects", "uploads");
}
