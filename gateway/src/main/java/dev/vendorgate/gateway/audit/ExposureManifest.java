package dev.vendorgate.gateway.audit;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
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

    /**
     * The manifest's body: what was exposed, and the chain positions and checkpoints it rests on.
     * Written as it goes (a manifest may list millions of records), indented for people.
     */
    public static byte[] body(Exposure e, String keyId, Instant builtAt) throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(1 << 16);
        try (JsonGenerator g = MAPPER.getFactory().createGenerator(bytes)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeStringField("vendor", e.vendor);
            g.writeStringField("from", text(e.from));
            g.writeStringField("to", text(e.to));
            g.writeStringField("builtAt", text(builtAt));
            g.writeStringField("keyId", keyId);
            g.writeFieldName("summary");
            MAPPER.writeTree(g, summary(e));
            g.writeArrayFieldStart("objects");
            for (Map.Entry<String, Exposure.Served> o : e.objects.entrySet()) {
                Exposure.Served s = o.getValue();
                g.writeStartObject();
                g.writeStringField("path", o.getKey());
                g.writeNumberField("bytes", s.bytes);
                g.writeNumberField("count", s.count);
                g.writeNumberField("partial", s.partial);
                g.writeNumberField("onProbation", s.onProbation);
                g.writeStringField("first", text(s.first));
                g.writeStringField("last", text(s.last));
                strings(g, "clients", s.clients);
                strings(g, "certificates", s.certificates);
                strings(g, "addresses", s.addresses);
                strings(g, "tokens", s.tokens);
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("uploads");
            for (Exposure.Upload u : e.uploads.stream()
                    .sorted(Comparator.comparing(Exposure.Upload::time)
                            .thenComparingInt(Exposure.Upload::trail)
                            .thenComparingLong(Exposure.Upload::seq))
                    .toList()) {
                g.writeStartObject();
                g.writeStringField("time", u.time().toString());
                g.writeStringField("method", u.method());
                g.writeStringField("path", u.path());
                g.writeNumberField("bytes", u.bytes());
                g.writeNumberField("status", u.status());
                g.writeStringField("decision", u.decision());
                g.writeStringField("reason", u.reason());
                g.writeStringField("client", u.client());
                g.writeStringField("certificate", u.certSha256());
                g.writeStringField("address", u.remote());
                g.writeStringField("token", u.tokenId());
                g.writeBooleanField("onProbation", u.probation());
                g.writeNumberField("trail", u.trail());
                g.writeNumberField("seq", u.seq());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("trails");
            for (Exposure.Trail t : e.trails) {
                g.writeStartObject();
                g.writeStringField("dir", t.dir);
                g.writeNumberField("throughSeq", t.throughSeq);
                strings(g, "files", t.files);
                g.writeArrayFieldStart("heads");
                for (Exposure.Head head : t.covering == null || t.covering.equals(t.latest)
                        ? Arrays.asList(t.latest)
                        : List.of(t.covering, t.latest)) {
                    if (head != null) {
                        g.writeStartObject();
                        g.writeNumberField("seq", head.seq());
                        g.writeStringField("hash", head.hash());
                        g.writeStringField("time", head.time());
                        g.writeEndObject();
                    }
                }
                g.writeEndArray();
                g.writeObjectFieldStart("records");
                for (Map.Entry<String, Exposure.Positions> file : t.records.entrySet()) {
                    g.writeArrayFieldStart(file.getKey());
                    Exposure.Positions p = file.getValue();
                    for (int i = 0; i < p.size; i++) {
                        g.writeStartArray();
                        g.writeNumber(p.seqs[i]);
                        g.writeString(p.hashes[i]);
                        g.writeEndArray();
                    }
                    g.writeEndArray();
                }
                g.writeEndObject();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        return bytes.toByteArray();
    }

    private static void strings(JsonGenerator g, String name, java.util.Collection<String> values) throws IOException {
        g.writeArrayFieldStart(name);
        for (String value : values) {
            g.writeString(value);
        }
        g.writeEndArray();
    }

    /** Totals: objects, fetches, bytes served, uploads, bytes received, records on probation and unsigned. */
    public static ObjectNode summary(Exposure e) {
        ObjectNode s = MAPPER.createObjectNode();
        s.put("objects", e.objects.size());
        s.put("fetches", e.objects.values().stream().mapToLong(o -> o.count).sum());
        s.put("bytesServed", e.objects.values().stream().mapToLong(o -> o.bytes).sum());
        s.put(
                "partialFetches",
                e.objects.values().stream().mapToLong(o -> o.partial).sum());
        s.put("uploads", e.uploads.size());
        s.put(
                "bytesReceived",
                e.uploads.stream().mapToLong(Exposure.Upload::bytes).sum());
        s.put(
                "onProbation",
                e.objects.values().stream().mapToLong(o -> o.onProbation).sum()
                        + e.uploads.stream().filter(Exposure.Upload::probation).count());
        s.put("vendorRequestsInWindow", e.inWindow);
        s.put("unsignedRecords", e.unsigned());
        return s;
    }

    private static String text(Instant time) {
        return time == null ? null : time.toString();
    }

    /** The manifest file: the body signed by {@code signer}. */
    public static byte[] signed(byte[] bodyBytes, AuditSigner signer) {
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

    /** Reads a body once its signature has verified. */
    static JsonNode read(byte[] body) throws IOException {
        return MAPPER.readTree(body);
    }
}
