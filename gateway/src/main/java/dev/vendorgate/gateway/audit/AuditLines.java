package dev.vendorgate.gateway.audit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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

    private AuditLines() {}

    /** Reads every audit file of every folder of {@code dirs}; returns how many files were read. */
    static int read(List<Path> dirs, Visitor visitor) throws IOException {
        int files = 0;
        for (int trail = 0; trail < dirs.size(); trail++) {
            Path dir = dirs.get(trail);
            for (Path file : AuditFiles.list(dir)) {
                files++;
                visitor.file(trail, dir, file);
                try (BufferedReader in = new BufferedReader(new InputStreamReader(Files.newInputStream(file),
                        StandardCharsets.UTF_8), 1 << 16)) {
                    String line;
                    while ((line = in.readLine()) != null) {
                        visitor.line(line);
                    }
                }
            }
        }
        return files;
    }
}
