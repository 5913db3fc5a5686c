package io.switchboard.testing;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** Reads a node's /metrics (Prometheus text). */
public final class Scrapes {
    private Scrapes() {
    }

    /** The value of one series, e.g. {@code switchboard_sockets{role="customer"}}; fails if absent. */
    public static double value(String scrape, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " ([0-9.eE+-]+)$").matcher(scrape);
        assertThat(m.find()).as("series %s in:\n%s", series, scrape).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
