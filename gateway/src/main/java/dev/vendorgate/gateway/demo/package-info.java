/** The self-contained demo: a development PKI, a policy and a demo data service. */
package dev.vendorgate.gateway.demo;
