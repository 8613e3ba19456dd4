/** The metrics listener: liveness, readiness and (with the metrics module) Prometheus metrics. */
package dev.vendorgate.gateway.health;
