/** HTTP values shared by the listeners: canonical request targets, request ids, problem responses. */
package dev.vendorgate.gateway.http;
