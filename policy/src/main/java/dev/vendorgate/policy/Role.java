package dev.vendorgate.policy;

/** What an operator may do on the admin API; each role includes the ones before it. */
public enum Role implements Worded {
    /** Read state, usage and audit summaries. */
    VIEWER("viewer"),
    /** Also suspend, resume and revoke. */
    OPERATOR("operator"),
    /** Also reload the policy and use the global switch. */
    ADMIN("admin");

    private final String word;

    Role(String word) {
        this.word = word;
    }

    public String word() {
        return word;
    }

    /** Whether this role may do what {@code required} may do. */
    public boolean includes(Role required) {
        return ordinal() >= required.ordinal();
    }

    /** The role named {@code word}, or null. */
    public static Role fromWord(String word) {
        return Worded.fromWord(Role.class, word);
    }
}
