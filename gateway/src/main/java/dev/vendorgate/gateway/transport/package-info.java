/** How the gateway does network I/O: native epoll when the platform has it, else NIO. */
package dev.vendorgate.gateway.transport;
