package dev.vendorgate.gateway.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vendorgate.gateway.http.ProblemType;

/** An admin call that cannot be done, with the problem to answer (and extra members, if any). */
final class AdminException extends RuntimeException {

    private final ProblemType type;
    private final transient ObjectNode extra;

    AdminException(ProblemType type, String detail) {
        this(type, detail, null);
    }

    AdminException(ProblemType type, String detail, ObjectNode extra) {
        super(detail, null, false, false);
        this.type = type;
        this.extra = extra;
    }

    ProblemType type() {
        return type;
    }

    ObjectNode extra() {
        return extra;
    }
}
