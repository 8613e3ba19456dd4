package dev.vendorgate.gateway.audit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Reads the records of one or more audit folders (a fleet: one folder per node) line by line,
 * folder after folder and each in chain order, without holding more than one line: what
 * {@code audit report} and {@code audit exposure} share.
 */
final class AuditLines {

    /** What a reader does with the files and lines it is given. */
    interface Visitor {
        /** A new file begins: {@code trail} is the index of its folder in the list given. */
        void file(int trail, Path dir, Path file) throws IOException;

        /** One record line, without its newline. */
        void line(String line) throws IOException;
    }

    /** What a reader of raw lines does: the line is valid from {@code start} to {@code end}, only during the call. */
    interface LineSink {
        void line(byte[] buffer, int start, int end) throws IOException;
    }

    private AuditLines() {}

    /** Reads every audit file of every folder of {@code dirs}; returns how many files were read. */
    static int read(List<Path> dirs, Visitor visitor) throws IOException {
        int files = 0;
        for (int trail = 0; trail < dirs.size(); trail++) {
            Path dir = dirs.get(trail);
            for (Path file : AuditFiles.list(dir)) {
                files++;
                visitor.file(trail, dir, file);
                try (BufferedReader in = new BufferedReader(
                        new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8), 1 << 16)) {
                    String line;
                    while ((line = in.readLine()) != null) {
                        visitor.line(line);
                    }
                }
            }
        }
        return files;
    }

    /**
     * Reads one audit file as raw lines, without decoding them: for scans of millions of records
     * that look closely at only a few. The newline search takes eight bytes at a time.
     */
    static void readBytes(Path file, LineSink sink) throws IOException {
        byte[] buffer = new byte[1 << 20];
        try (InputStream in = Files.newInputStream(file)) {
            int filled = 0;
            int scanned = 0;
            while (true) {
                int n = in.read(buffer, filled, buffer.length - filled);
                if (n < 0) {
                    if (filled > 0) {
                        sink.line(buffer, 0, filled); // a last line without its newline
                    }
                    return;
                }
                filled += n;
                int start = 0;
                int newline;
                while ((newline = newline(buffer, scanned, filled)) >= 0) {
                    sink.line(buffer, start, newline);
                    start = newline + 1;
                    scanned = start;
                }
                System.arraycopy(buffer, start, buffer, 0, filled - start);
                filled -= start;
                scanned = filled;
                if (filled == buffer.length) {
                    buffer = Arrays.copyOf(buffer, buffer.length * 2); // a line over 1 MiB
                }
            }
        }
    }

    /** The index of the first newline in {@code b[from, to)}, or -1. */
    static int newline(byte[] b, int from, int to) {
        // eight bytes at a time through a little-endian view (the JIT reads them as one long);
        // not a VarHandle: method handles are outside what our code may use (NoCodeLoadingTest)
        ByteBuffer view = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long word = view.getLong(i) ^ 0x0A0A0A0A0A0A0A0AL;
            long zero = (word - 0x0101010101010101L) & ~word & 0x8080808080808080L;
            if (zero != 0) {
                return i + (Long.numberOfTrailingZeros(zero) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
