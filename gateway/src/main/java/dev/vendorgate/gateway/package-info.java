/** The gateway runtime: {@link dev.vendorgate.gateway.Gateway} starts the listeners and owns their shared state. */
package dev.vendorgate.gateway;
