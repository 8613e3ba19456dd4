/** Forwarding to upstreams: per-event-loop connection pools, the exchange with its backpressure, header hygiene. */
package dev.vendorgate.gateway.proxy;
