/** Runtime control state (suspensions, revocations, usage), its durable store and the kill switch. */
package dev.vendorgate.gateway.control;
