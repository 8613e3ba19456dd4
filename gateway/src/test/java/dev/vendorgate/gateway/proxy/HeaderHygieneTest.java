package dev.vendorgate.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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

    /** The upstream contract: every field that claims who called, from where, with what, or where to. */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "Connection",
                "Keep-Alive",
                "Proxy-Connection",
                "TE",
                "Trailer",
                "Transfer-Encoding",
                "Upgrade",
                "Proxy-Authorization",
                "Proxy",
                "Host",
                "Content-Length",
                "Expect",
                "Authorization",
                "X-Request-Id",
                "X-Gateway-Vendor",
                "x-gateway-anything",
                "X-Http2-Scheme",
                "Forwarded",
                "X-Forwarded-For",
                "X-Forwarded-Host",
                "X-Forwarded-Proto",
                "X-Forwarded-Client-Cert",
                "X-Real-IP",
                "X-Client-IP",
                "True-Client-IP",
                "CF-Connecting-IP",
                "Fastly-Client-IP",
                "X-Cluster-Client-IP",
                "X-Originating-IP",
                "X-Remote-IP",
                "X-Remote-Addr",
                "Client-IP",
                "Via",
                "Client-Cert",
                "Client-Cert-Chain",
                "X-SSL-Client-Cert",
                "X-SSL-Client-Verify",
                "X-Client-Cert",
                "X-Client-Certificate",
                "X-Client-Verify",
                "X-Client-DN",
                "SSL-Client-Cert",
                "SSL_CLIENT_CERT",
                "SSL_CLIENT_S_DN",
                "X-ARR-ClientCert",
                "X-Amzn-Mtls-Clientcert",
                "X-Remote-User",
                "Remote-User",
                "X-Authenticated-User",
                "X-Auth-Request-Email",
                "X-Amzn-Oidc-Identity",
                "X-MS-Client-Principal-Name",
                "X-Goog-Authenticated-User-Email",
                "X-HTTP-Method-Override",
                "X-HTTP-Method",
                "X-Method-Override",
                "X-Original-Method",
                "X-Original-URL",
                "X-Original-URI",
                "X-Rewrite-URL",
                "X-Host",
                "X-Envoy-Original-Path",
                "X-Envoy-Internal",
                "Early-Data",
                "X_Forwarded_For",
                "x_gateway_vendor"
            })
    void requestDropsEveryFieldTheContractReserves(String name) {
        assertThat(HeaderHygiene.dropsFromRequest(name)).isTrue();
        HttpHeaders out = new DefaultHttpHeaders();
        HeaderHygiene.copyRequestHeaders(new DefaultHttpHeaders().add(name, "claimed"), out);
        assertThat(out.isEmpty()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "Accept",
                "Content-Type",
                "Content-Encoding",
                "Cookie",
                "User-Agent",
                "Digest",
                "Content-Digest",
                "If-None-Match",
                "X-Trace",
                "X-Client-Name",
                "Traceparent"
            })
    void requestKeepsEndToEndFields(String name) {
        assertThat(HeaderHygiene.dropsFromRequest(name)).isFalse();
    }

    @Test
    void responseTrailersLoseHopByHopForbiddenAndGatewayFields() {
        HttpHeaders in = new DefaultHttpHeaders()
                .add("X-Checksum", "sha256=abc")
                .add("Content-Length", "5")
                .add("Content-Type", "text/evil")
                .add("Set-Cookie", "a=b")
                .add("WWW-Authenticate", "Basic")
                .add("Location", "https://evil.example/")
                .add("X-Request-Id", "upstream")
                .add("Keep-Alive", "1")
                .add("Grpc-Status", "0");
        HttpHeaders out = new DefaultHttpHeaders();

        HeaderHygiene.copyResponseTrailers(in, out);

        assertThat(out.names()).containsExactlyInAnyOrder("x-checksum", "grpc-status");
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
        assertThat(HeaderHygiene.headerSafe("spiffe://lab.example/vendor/acme"))
                .isEqualTo("spiffe://lab.example/vendor/acme");
    }

    /**
     * The heads the gateway builds do not check what it sets itself; what it copies from a vendor or
     * an upstream is still checked on the way in, whatever checked (or did not check) it before: a
     * CR LF in a value would start a header of the vendor's choosing on the upstream connection.
     */
    @ParameterizedTest
    @ValueSource(strings = {"a\r\nX-Gateway-Vendor: someone-else", "a\nb", "nul\u0000"})
    void aValueThatCouldSplitTheHeadIsRefusedWhenCopied(String value) {
        HttpHeaders unchecked = HeaderHygiene.BUILT.newHeaders().add("X-Trace", value);
        HttpHeaders built = HeaderHygiene.BUILT.newHeaders();
        assertThatThrownBy(() -> HeaderHygiene.copyRequestHeaders(unchecked, built))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HeaderHygiene.copyResponseHeaders(unchecked, built))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(built.isEmpty()).isTrue();
    }

    @Test
    void aNameThatIsNotATokenIsRefusedWhenCopied() {
        HttpHeaders unchecked = HeaderHygiene.BUILT.newHeaders().add("X Trace", "1");
        assertThatThrownBy(() -> HeaderHygiene.copyRequestHeaders(unchecked, HeaderHygiene.BUILT.newHeaders()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
