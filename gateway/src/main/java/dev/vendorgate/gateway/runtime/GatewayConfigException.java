package dev.vendorgate.gateway.runtime;

import java.util.List;

/** The policy is valid but cannot be put to work here (a file unreadable, a host unknown, a port taken). */
public final class GatewayConfigException extends Exception {

    private final transient List<String> errors;

    public GatewayConfigException(List<String> errors) {
        super(String.join("\n", errors));
        this.errors = List.copyOf(errors);
    }

    public GatewayConfigException(String error) {
        this(List.of(error));
    }

    public List<String> errors() {
        return errors;
    }
}
