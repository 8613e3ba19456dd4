package dev.vendorgate.gateway.docs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The code blocks of a Markdown document that are marked to be run: a line
 * {@code <!-- example: NAME -->} right before the block's opening fence. The fence's info string
 * (sh, python) says how to run it.
 */
record DocExamples(Map<String, Example> examples) {

    /** One marked block: its language and its text. */
    record Example(String name, String language, String code) {}

    static DocExamples read(Path markdown) throws IOException {
        List<String> lines = Files.readAllLines(markdown);
        Map<String, Example> found = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (!line.startsWith("<!-- example:") || !line.endsWith("-->")) {
                continue;
            }
            String name = line.substring("<!-- example:".length(), line.length() - "-->".length())
                    .strip();
            if (i + 1 >= lines.size() || !lines.get(i + 1).startsWith("```")) {
                throw new IllegalStateException(
                        markdown + ":" + (i + 1) + ": example '" + name + "' is not followed by a fenced code block");
            }
            String language = lines.get(i + 1).substring(3).strip();
            StringBuilder code = new StringBuilder();
            int j = i + 2;
            for (; j < lines.size() && !lines.get(j).startsWith("```"); j++) {
                code.append(lines.get(j)).append('\n');
            }
            if (j == lines.size()) {
                throw new IllegalStateException(markdown + ":" + (i + 2) + ": example '" + name + "' is never closed");
            }
            if (found.put(name, new Example(name, language, code.toString())) != null) {
                throw new IllegalStateException(markdown + ": two examples named '" + name + "'");
            }
            i = j;
        }
        return new DocExamples(Map.copyOf(found));
    }

    Example get(String name) {
        Example example = examples.get(name);
        if (example == null) {
            throw new AssertionError(
                    "no block marked <!-- example: " + name + " --> (found " + examples.keySet() + ")");
        }
        return example;
    }

    /** The repository's docs folder, from the module's folder (where the tests run) or the repository's. */
    static Path docs() {
        Path here = Path.of("").toAbsolutePath();
        for (Path dir = here; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("docs/tokens.md"))) {
                return dir.resolve("docs");
            }
        }
        throw new IllegalStateException("no docs/tokens.md above " + here);
    }
}
