/** Request rates, requests in flight and daily byte quotas, per vendor and per client. */
package dev.vendorgate.gateway.limits;
