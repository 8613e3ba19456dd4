package dev.vendorgate.policy;

import java.util.Objects;

/**
 * One thing wrong with a policy file, located well enough that its author can fix it without
 * searching: {@code gateway.yaml:12:9: vendors[1].identities[0].spiffe: must start with spiffe://}.
 *
 * @param file the file name as given to the loader
 * @param line 1-based line, or 0 when the error concerns the whole file
 * @param column 1-based column, or 0 when unknown
 * @param path the field path, for example {@code routes[2].upstream}; empty for the document
 * @param message what is wrong, in words a policy author understands
 */
public record PolicyError(String file, int line, int column, String path, String message) {

    public PolicyError {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder(file);
        if (line > 0) {
            out.append(':').append(line);
            if (column > 0) {
                out.append(':').append(column);
            }
        }
        out.append(": ");
        if (!path.isEmpty()) {
            out.append(path).append(": ");
        }
        return out.append(message).toString();
    }
}
