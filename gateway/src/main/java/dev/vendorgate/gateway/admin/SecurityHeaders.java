package dev.vendorgate.gateway.admin;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;

/**
 * Adds the browser-facing protections to every admin response, console files and API answers
 * alike: scripts only from the listener itself and never inline, no framing, no sniffing of
 * content types, no referrer. No CORS header is ever added.
 */
@ChannelHandler.Sharable
final class SecurityHeaders extends ChannelOutboundHandlerAdapter {

    static final SecurityHeaders INSTANCE = new SecurityHeaders();

    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; form-action 'none'; base-uri 'none'; frame-ancestors 'none'";

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (msg instanceof HttpResponse response) {
            HttpHeaders headers = response.headers();
            headers.set("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                    .set("X-Content-Type-Options", "nosniff")
                    .set("Referrer-Policy", "no-referrer")
                    .set("X-Frame-Options", "DENY")
                    .set("Cross-Origin-Opener-Policy", "same-origin")
                    .set("Cross-Origin-Resource-Policy", "same-origin");
        }
        super.write(ctx, msg, promise);
    }
}
