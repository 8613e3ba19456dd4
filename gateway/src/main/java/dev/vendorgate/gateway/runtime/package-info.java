/** State shared across connections: the policy snapshot, connection registry, transport, reloads. */
package dev.vendorgate.gateway.runtime;
