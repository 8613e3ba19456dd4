/** The operators' admin API: vendor state, suspend and resume, the global switch, policy reload. */
package dev.vendorgate.gateway.admin;
