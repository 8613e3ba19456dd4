package dev.vendorgate.policy;

/**
 * An enum constant with the word that names it in policy files, the admin API and the CLI
 * ({@code read-only}, {@code hard}, {@code suspend}), and the one lookup from a word back to it.
 */
public interface Worded {

    /** The word used in policy files, the admin API and the command line. */
    String word();

    /** The constant of {@code type} named {@code word}, or null when none is. */
    static <E extends Enum<E> & Worded> E fromWord(Class<E> type, String word) {
        for (E constant : type.getEnumConstants()) {
            if (constant.word().equals(word)) {
                return constant;
            }
        }
        return null;
    }
}
