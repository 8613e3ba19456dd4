/** TLS for the listeners: providers, server contexts, and the client certificate checks. */
package dev.vendorgate.gateway.tls;
