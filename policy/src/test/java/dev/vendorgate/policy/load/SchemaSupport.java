package dev.vendorgate.policy.load;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The policy JSON Schema, as an editor would apply it. */
final class SchemaSupport {

    static final Path SCHEMA = Path.of("schema/gateway-policy.schema.json");
    private static Schema schema;

    private SchemaSupport() {}

    static synchronized List<Error> validate(String yaml) {
        if (schema == null) {
            try {
                schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                        .getSchema(Files.readString(SCHEMA));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return schema.validate(yaml, InputFormat.YAML);
    }
}
