/** Certificate-bound access tokens: signing keys, the issuer, the verifier, trusted external issuers. */
package dev.vendorgate.gateway.token;
