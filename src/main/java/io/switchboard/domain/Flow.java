package io.switchboard.domain;

import java.util.List;

/** A flow: a question with choices; the customer's choice comes back as a message naming the option. */
public record Flow(String id, String title, List<Option> options) {

    public record Option(String id, String label) {
    }

    public java.util.Optional<Option> option(String optionId) {
        return options.stream().filter(o -> o.id().equals(optionId)).findFirst();
    }
}
