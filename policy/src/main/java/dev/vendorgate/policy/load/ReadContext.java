package dev.vendorgate.policy.load;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What the section readers share while one policy file is read: the error collector, the
 * folder relative paths are resolved against, and the places that need a second look once
 * every section is known (files to check, references between sections).
 */
final class ReadContext {

    static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");
    static final String ID_RULE =
            "must be 1-63 characters of a-z, 0-9, '.', '_' or '-', starting with a letter or digit";

    final Problems problems;
    private final Path baseDir;
    private final List<FileRef> files = new ArrayList<>();

    ReadContext(Problems problems, Path baseDir) {
        this.problems = problems;
        this.baseDir = baseDir;
    }

    /** A file named in the policy, to be checked for existence when the loader is asked to. */
    record FileRef(Path file, YamlNode at, String path) {}

    /** Resolves a path field against the policy's folder and remembers it for the file check. */
    Path file(MapReader.StringItem item) {
        try {
            Path resolved = baseDir.resolve(item.value()).normalize();
            files.add(new FileRef(resolved, item.node(), item.path()));
            return resolved;
        } catch (InvalidPathException e) {
            problems.add(item.node(), item.path(), "not a valid path: " + e.getReason());
            return null;
        }
    }

    /**
     * Resolves a folder field against the policy's folder ({@code fallback} when absent); the
     * folder need not exist yet (the gateway creates it). Null, with a problem, for a path the
     * file system cannot take (a NUL byte, for one).
     */
    Path folder(MapReader reader, String key, String value, String fallback) {
        try {
            return baseDir.resolve(value == null ? fallback : value).normalize();
        } catch (InvalidPathException e) {
            problems.add(reader.get(key), reader.pathOf(key), "not a valid path: " + e.getReason());
            return null;
        }
    }

    /** Resolves a single path field of {@code reader}; reports a missing one if required. */
    Path file(MapReader reader, String key, boolean required) {
        String value = reader.string(key, required);
        if (value == null) {
            return null;
        }
        return file(new MapReader.StringItem(value, reader.get(key), reader.pathOf(key)));
    }

    /** Reports every referenced file that does not exist or cannot be read. */
    void checkFiles() {
        for (FileRef ref : files) {
            if (!Files.isRegularFile(ref.file())) {
                problems.add(ref.at(), ref.path(), "file not found: " + ref.file());
            } else if (!Files.isReadable(ref.file())) {
                problems.add(ref.at(), ref.path(), "file not readable: " + ref.file());
            }
        }
    }

    /** Checks an id field against {@link #ID}; returns it, or null after reporting. */
    String id(MapReader reader, String key) {
        String value = reader.string(key, true);
        if (value != null && !ID.matcher(value).matches()) {
            problems.add(reader.get(key), reader.pathOf(key), "'" + value + "' " + ID_RULE);
            return null;
        }
        return value;
    }
}
