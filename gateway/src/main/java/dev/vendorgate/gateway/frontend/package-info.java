/** The vendor listener: its pipeline, who is connected, and the per-request admission. */
package dev.vendorgate.gateway.frontend;
