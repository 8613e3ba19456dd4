package dev.vendorgate.policy;

/** The state a vendor is in, as written in the policy or set by an operator at run time. */
public enum VendorStatus implements Worded {
    /** Requests are served as the policy grants. */
    ACTIVE("active"),
    /** Nothing is served. */
    SUSPENDED("suspended"),
    /** Only safe methods (GET, HEAD, OPTIONS) are served. */
    READ_ONLY("read-only");

    private final String word;

    VendorStatus(String word) {
        this.word = word;
    }

    /** The word used in policy files and the admin API. */
    public String word() {
        return word;
    }

    /** The status named {@code word}, or null. */
    public static VendorStatus fromWord(String word) {
        return Worded.fromWord(VendorStatus.class, word);
    }
}
