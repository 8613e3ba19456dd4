package dev.vendorgate.gateway.audit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Names and finds the audit files: {@code audit-<first seq>-<UTC time>.jsonl}, so that sorting by
 * the first sequence number gives the order the chain runs through them.
 */
final class AuditFiles {

    static final String HEAD = "HEAD";
    private static final Pattern NAME = Pattern.compile("audit-(\\d{12})-(\\d{8}T\\d{6}Z)\\.jsonl");
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private AuditFiles() {}

    /** Records the signed chain head in the HEAD file: written aside, fsync'd, then moved over the old one. */
    static void writeHead(Path dir, AuditSigner signer, long checkpointSeq, String checkpointHash) throws IOException {
        String text = "{\"seq\":" + checkpointSeq + ",\"hash\":\"" + checkpointHash + "\",\"keyId\":\"" + signer.keyId()
                + "\",\"signature\":\"" + signer.sign(checkpointSeq, checkpointHash) + "\"}\n";
        Path temporary = dir.resolve(HEAD + ".tmp");
        try (FileChannel out = FileChannel.open(
                temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            out.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII)));
            out.force(true);
        }
        Files.move(temporary, dir.resolve(HEAD), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    static String name(long firstSeq, Instant opened) {
        return String.format("audit-%012d-%s.jsonl", firstSeq, STAMP.format(opened));
    }

    /** The audit files in {@code dir}, in chain order. */
    static List<Path> list(Path dir) throws IOException {
        List<Path> files = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return files;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            entries.filter(p -> NAME.matcher(p.getFileName().toString()).matches())
                    .forEach(files::add);
        }
        files.sort((a, b) -> Long.compare(firstSeq(a), firstSeq(b)));
        return files;
    }

    /** When the file was opened, from its name (to the second), or null. */
    static Instant opened(Path file) {
        Matcher m = NAME.matcher(file.getFileName().toString());
        return m.matches() ? STAMP.parse(m.group(2), Instant::from) : null;
    }

    static long firstSeq(Path file) {
        Matcher m = NAME.matcher(file.getFileName().toString());
        return m.matches() ? Long.parseLong(m.group(1)) : -1;
    }
}
