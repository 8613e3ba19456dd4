/** A development PKI: certificates and CRLs for tests, the demo and evaluation. Never on the production path. */
package dev.vendorgate.certs;
