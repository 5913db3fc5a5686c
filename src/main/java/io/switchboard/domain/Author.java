package io.switchboard.domain;

/** Who wrote a message: {@code customer}, {@code agent} or {@code system}. */
public record Author(String type, String id, String name) {
    public static final String CUSTOMER = "customer";
    public static final String AGENT = "agent";
    public static final String SYSTEM = "system";

    public static Author system() {
        return new Author(SYSTEM, null, null);
    }
}
