/** The gateway's Prometheus metrics: counters, histograms and gauges, and certificate expiry. */
package dev.vendorgate.gateway.metrics;
