/** The {@code gateway} command line. */
package dev.vendorgate.gateway.cli;
