package dev.vendorgate.gateway.audit;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;

/**
 * Writes a valid audit trail of many request records, hash-chained and signed like the
 * gateway's (a checkpoint every 50,000 records, files rolled at 256 MiB, a HEAD), to measure
 * {@code audit exposure} on a realistic size. Records cycle over ten vendors; each tenth record
 * of a vendor is an upload, the rest downloads of one of 100,000 objects by one of four clients.
 *
 * <p>Run: {@code java -cp <gateway test classpath> dev.vendorgate.gateway.audit.TrailGenerator DIR RECORDS}.
 */
public final class TrailGenerator {

    static final Instant START = Instant.parse("2026-11-01T00:00:00Z");
    static final int VENDORS = 10;
    static final int CHECKPOINT_EVERY = 50_000;
    static final long FILE_BYTES = 256L * 1024 * 1024;

    private final Path dir;
    private final AuditSigner signer;
    private final MessageDigest sha256;
    private OutputStream out;
    private long fileBytes;
    private long seq;
    private String head = AuditLog.GENESIS;

    private TrailGenerator(Path dir) throws Exception {
        this.dir = dir;
        Files.createDirectories(dir);
        this.signer = AuditSigner.loadOrCreate(
                dir.resolveSibling(dir.getFileName() + "-key").resolve("audit-signing.key"), dir);
        this.sha256 = MessageDigest.getInstance("SHA-256");
    }

    public static void main(String[] args) throws Exception {
        long records = Long.parseLong(args[1]);
        long started = System.nanoTime();
        write(Path.of(args[0]), records);
        System.out.printf("wrote %d records to %s in %.1f s%n", records, args[0], (System.nanoTime() - started) / 1e9);
    }

    /** Writes {@code records} request records (and their checkpoints) into a new trail in {@code dir}. */
    static void write(Path dir, long records) throws Exception {
        TrailGenerator g = new TrailGenerator(dir);
        for (long i = 0; i < records; i++) {
            g.append(request(i));
            if ((i + 1) % CHECKPOINT_EVERY == 0 || i == records - 1) {
                g.checkpoint(START.plusMillis(i));
            }
        }
        g.out.close();
    }

    /** Request {@code i}: vendor {@code v<i % 10>}, an upload every tenth time, a download otherwise. */
    static AuditRecord request(long i) {
        Instant time = START.plusMillis(i);
        String vendor = "v" + (i % VENDORS);
        long n = i / VENDORS;
        boolean upload = n % 10 == 9;
        String client = "spiffe://lab.example/vendor/" + vendor + "/c" + (n % 4);
        String path = upload ? "/annotations/b-" + n : "/datasets/d/" + (n % 100_000);
        return new AuditRecord(
                time,
                "r-" + i,
                vendor,
                client,
                "sha" + (n % 4),
                "t-" + (n % 50),
                "10.0.0." + (n % 4) + ":40000",
                "h2",
                upload ? "PUT" : "GET",
                path,
                upload ? "annotation-write" : "dataset-read",
                "data",
                "allow",
                null,
                200,
                upload ? 2048 : 0,
                upload ? 0 : 1000 + n % 1000,
                1500,
                n % 7 == 0);
    }

    private void append(AuditRecord record) throws IOException {
        rollIfNeeded(record.time());
        byte[] line = record.line(seq, head);
        commit(line);
    }

    private void checkpoint(Instant time) throws IOException {
        rollIfNeeded(time);
        String covered = head;
        long at = seq;
        String line = "{\"seq\":" + at + ",\"prev\":\"" + covered + "\",\"type\":\"checkpoint\",\"time\":\"" + time
                + "\",\"keyId\":\"" + signer.keyId() + "\",\"signature\":\"" + signer.sign(at, covered) + "\"}";
        commit(line.getBytes(StandardCharsets.UTF_8));
        Files.writeString(
                dir.resolve(AuditFiles.HEAD),
                "{\"seq\":" + at + ",\"hash\":\"" + head + "\",\"keyId\":\"" + signer.keyId() + "\",\"signature\":\""
                        + signer.sign(at, head) + "\"}\n");
    }

    private void commit(byte[] line) throws IOException {
        out.write(line);
        out.write('\n');
        fileBytes += line.length + 1;
        head = HexFormat.of().formatHex(sha256.digest(line));
        seq++;
    }

    private void rollIfNeeded(Instant time) throws IOException {
        if (out == null || fileBytes >= FILE_BYTES) {
            if (out != null) {
                out.close();
            }
            out = new BufferedOutputStream(Files.newOutputStream(dir.resolve(AuditFiles.name(seq, time))), 1 << 20);
            fileBytes = 0;
        }
    }
}
