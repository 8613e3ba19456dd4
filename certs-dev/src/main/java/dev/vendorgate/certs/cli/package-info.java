/** The certs-dev command line. */
package dev.vendorgate.certs.cli;
