/** Tripwires: canary paths and per-vendor baselines whose trips suspend a vendor or raise an alert. */
package dev.vendorgate.gateway.tripwire;
