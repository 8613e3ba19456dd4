/** Reading policy files: YAML with positions, validation that reports every error with file, line and field. */
package dev.vendorgate.policy.load;
