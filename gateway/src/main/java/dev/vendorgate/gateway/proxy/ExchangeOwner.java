package dev.vendorgate.gateway.proxy;

import dev.vendorgate.gateway.http.ProblemType;

/**
 * The inbound side of an exchange: the handler of the vendor's connection (HTTP/1.1) or
 * stream (HTTP/2) that knows how to answer, cut, or go on to the next request.
 */
public interface ExchangeOwner {

    /** Reads the next piece of the vendor's request body (backpressure: called only when the upstream can take it). */
    void readMore();

    /** Answers with a problem; nothing of a response has been sent yet. */
    void respondWithProblem(ProxyExchange exchange, ProblemType type, String detail);

    /** Cuts the vendor's connection or stream now: a response was started and cannot be completed. */
    void abort(ProxyExchange exchange);

    /**
     * The exchange is over.
     *
     * @param reusable whether the inbound connection may carry another request
     */
    void finished(ProxyExchange exchange, boolean reusable);
}
