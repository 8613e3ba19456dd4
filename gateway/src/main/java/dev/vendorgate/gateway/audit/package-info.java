/** The tamper-evident audit trail: writing, verifying and reporting on it. */
package dev.vendorgate.gateway.audit;
