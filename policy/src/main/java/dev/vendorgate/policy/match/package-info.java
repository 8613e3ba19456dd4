/** Fast lookups compiled from a policy: routes by canonical path and method, owners by certificate. */
package dev.vendorgate.policy.match;
