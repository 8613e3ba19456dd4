package dev.vendorgate.gateway.control;

import dev.vendorgate.policy.Worded;

/** What a suspension does to a vendor's connections that are already open. */
public enum SuspendMode implements Worded {
    /** Close them and every request in flight now (the default: a breach does not wait). */
    SEVER("sever"),
    /** Let each request in flight finish, then close (HTTP/2 gets GOAWAY). */
    DRAIN("drain");

    private final String word;

    SuspendMode(String word) {
        this.word = word;
    }

    public String word() {
        return word;
    }

    public static SuspendMode fromWord(String word) {
        return Worded.fromWord(SuspendMode.class, word);
    }
}
