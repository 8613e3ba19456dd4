package dev.vendorgate.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.Test;

class HeaderHygieneTest {

    @Test
    void requestKeepsEndToEndHeadersOnly() {
        HttpHeaders in = new DefaultHttpHeaders()
                .add("Accept", "application/json")
                .add("Authorization", "Bearer abc")
                .add("Content-Type", "text/plain")
                .add("Connection", "keep-alive, X-Custom-Hop")
                .add("X-Custom-Hop", "1")
                .add("Keep-Alive", "timeout=5")
                .add("TE", "trailers")
                .add("Upgrade", "h2c")
                .add("Proxy-Authorization", "Basic x")
                .add("Transfer-Encoding", "chunked")
                .add("Content-Length", "10")
                .add("Host", "gateway.example")
                .add("Expect", "100-continue")
                .add("X-Gateway-Vendor", "someone-else")
                .add("x-gateway-whatever", "x")
                .add("X-Forwarded-For", "1.2.3.4")
                .add("X-Forwarded-Proto", "http")
                .add("Forwarded", "for=1.2.3.4")
                .add("X-Real-IP", "1.2.3.4")
                .add("X-Request-Id", "mine")
                .add("x-http2-scheme", "https")
                .add("X-Trace", "keep-me");
        HttpHeaders out = new DefaultHttpHeaders();

        HeaderHygiene.copyRequestHeaders(in, out);

        // the vendor's token stops at the gateway: upstreams get the verified identity instead
        assertThat(out.names()).containsExactlyInAnyOrder("accept", "content-type", "x-trace");
        assertThat(out.get("x-trace")).isEqualTo("keep-me");
    }

    @Test
    void responseDropsHopByHopAndNominatedHeaders() {
        HttpHeaders in = new DefaultHttpHeaders()
                .add("Content-Type", "text/plain")
                .add("Content-Length", "5")
                .add("Connection", "close, X-Internal")
                .add("X-Internal", "secret")
                .add("Transfer-Encoding", "chunked")
                .add("Set-Cookie", "a=b");
        HttpHeaders out = new DefaultHttpHeaders();

        HeaderHygiene.copyResponseHeaders(in, out);

        assertThat(out.names()).containsExactlyInAnyOrder("content-type", "content-length", "set-cookie");
    }

    @Test
    void identityValuesCannotInjectHeaders() {
        assertThat(HeaderHygiene.headerSafe("CN=acme\r\nX-Evil: 1")).isEqualTo("CN=acme%0D%0AX-Evil: 1");
        assertThat(HeaderHygiene.headerSafe("CN=Müller,O=100%")).isEqualTo("CN=M%C3%BCller,O=100%25");
        assertThat(HeaderHygiene.headerSafe("spiffe://lab.example/vendor/acme")).isEqualTo("spiffe://lab.example/vendor/acme");
    }
}
