package dev.vendorgate.gateway.vendor;

/**
 * What to do with the rest of a request body the gateway will not forward. Either drop it and
 * go on to the next request (the body was empty), or drop it for a moment and then close
 * ("lingering close"): a client still sending a body it was refused gets to read the answer,
 * instead of a connection reset that loses it.
 */
final class BodyDrain {

    /** How long, and how many body bytes, a refused request is read and dropped before the connection closes. */
    static final long LINGER_MILLIS = 2_000;
    static final long LINGER_BYTES = 16L * 1024 * 1024;

    /** What the handler does after dropping a piece. */
    enum Next { NOTHING, READ, CLOSE }

    private boolean discarding;
    private boolean lingering;
    private long lingered;

    /** Drop the rest of the current (complete or empty-bodied) request, then read the next. */
    void discardRest(boolean requestComplete) {
        discarding = !requestComplete;
    }

    /** Drop what follows, then close. */
    void linger() {
        discarding = true;
        lingering = true;
        lingered = 0;
    }

    /** Accounts for a dropped piece of body. */
    Next dropped(int bytes, boolean last) {
        if (lingering) {
            lingered += bytes;
            return last || lingered > LINGER_BYTES ? Next.CLOSE : Next.READ;
        }
        if (discarding) {
            discarding = !last;
            return Next.READ;
        }
        return Next.NOTHING;
    }
}
