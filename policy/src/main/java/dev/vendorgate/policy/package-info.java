/** The gateway's policy: an immutable model of who may reach which lab services, and the access decision. */
package dev.vendorgate.policy;
