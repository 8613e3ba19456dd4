package dev.vendorgate.gateway.admin;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The ops console's static files, read once from the jar's {@code console/} resources (listed in
 * {@code console/files.txt}) when the gateway starts, so serving them never touches a disk.
 */
final class ConsoleFiles {

    /** One file: its bytes and content type. */
    record File(byte[] bytes, String contentType) {}

    private static final String ROOT = "console/";

    private final Map<String, File> files;

    private ConsoleFiles(Map<String, File> files) {
        this.files = files;
    }

    /** Reads the files named in the manifest; a missing one is a build defect, so it fails loudly. */
    static ConsoleFiles load() {
        Map<String, File> files = new HashMap<>();
        String manifest = new String(read("files.txt"), StandardCharsets.UTF_8);
        for (String line : manifest.split("\n")) {
            String name = line.strip();
            if (name.isEmpty() || name.startsWith("#")) {
                continue;
            }
            files.put("/" + name, new File(read(name), contentType(name)));
        }
        files.put("/", files.get("/index.html"));
        return new ConsoleFiles(Map.copyOf(files));
    }

    /** The file at a request path ({@code /} is the console's page), if there is one. */
    Optional<File> at(String path) {
        return Optional.ofNullable(files.get(path));
    }

    static String contentType(String name) {
        String extension = name.substring(name.lastIndexOf('.') + 1);
        return switch (extension) {
            case "html" -> "text/html; charset=utf-8";
            case "js" -> "text/javascript; charset=utf-8";
            case "css" -> "text/css; charset=utf-8";
            case "svg" -> "image/svg+xml";
            case "png" -> "image/png";
            case "txt" -> "text/plain; charset=utf-8";
            default -> throw new IllegalArgumentException("no content type for console file " + name);
        };
    }

    private static byte[] read(String name) {
        try (InputStream in = ConsoleFiles.class.getResourceAsStream("/" + ROOT + name)) {
            if (in == null) {
                throw new IllegalStateException("console file missing from the jar: " + ROOT + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
