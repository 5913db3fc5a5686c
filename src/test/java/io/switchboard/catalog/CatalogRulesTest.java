package io.switchboard.catalog;

import io.switchboard.domain.Failure;
import io.switchboard.domain.Flow;
import io.switchboard.domain.Principal;
import io.switchboard.domain.Role;
import io.switchboard.service.CatalogService;
import io.switchboard.service.CatalogService.ArticleInput;
import io.switchboard.service.CatalogService.FlowInput;
import io.switchboard.service.CatalogService.TextBlockInput;
import io.switchboard.store.pg.TextBlockStore;
import io.vertx.core.Future;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The catalog's rules that need no database: who may write, what input passes, what a search asks Postgres. */
class CatalogRulesTest {
    private static final String WS = UUID.randomUUID().toString();
    private static final Principal ADMIN = new Principal(UUID.randomUUID().toString(), WS, "Ada", Role.ADMIN, Set.of());
    private static final Principal AGENT = new Principal(UUID.randomUUID().toString(), WS, "Bob", Role.AGENT, Set.of());

    // Every refusal below happens before any query: the service has no pool.
    private final CatalogService catalog = new CatalogService(null);

    private static String code(Future<?> f) {
        assertThat(f.failed()).as("failed at once").isTrue();
        assertThat(f.cause()).isInstanceOf(Failure.class);
        return ((Failure) f.cause()).code().wire();
    }

    @Test
    void theWordQueryKeepsOnlyLettersAndDigitsAndMatchesTheLastWordAsAPrefix() {
        assertThat(TextBlockStore.wordQuery("gre")).contains("gre:*");
        assertThat(TextBlockStore.wordQuery("  refund   polic ")).contains("refund & polic:*");
        assertThat(TextBlockStore.wordQuery("Café über 42")).contains("Café & über & 42:*");
        assertThat(TextBlockStore.wordQuery("a&b|c!d:*(e)'f'\\g<->h")).contains("a & b & c & d & e & f & g & h:*");
        assertThat(TextBlockStore.wordQuery("'); drop table text_blocks; --")).contains("drop & table & text & blocks:*");
        assertThat(TextBlockStore.wordQuery("!!& | :* ()'")).isEmpty();
        assertThat(TextBlockStore.wordQuery("")).isEmpty();
        assertThat(TextBlockStore.wordQuery(null)).isEqualTo(Optional.empty());
    }

    @Test
    void onlyAdminsWrite() {
        assertThat(code(catalog.createTextBlock(AGENT, new TextBlockInput("hi", "Hi", "Hi", null)))).isEqualTo("forbidden");
        assertThat(code(catalog.updateTextBlock(AGENT, UUID.randomUUID().toString(), new TextBlockInput(null, "Hi", null, null))))
                .isEqualTo("forbidden");
        assertThat(code(catalog.deleteTextBlock(AGENT, UUID.randomUUID().toString()))).isEqualTo("forbidden");
        assertThat(code(catalog.createArticle(AGENT, new ArticleInput("T", "B", null)))).isEqualTo("forbidden");
        assertThat(code(catalog.createFlow(AGENT, new FlowInput("T", List.of(new Flow.Option("a", "A")))))).isEqualTo("forbidden");
    }

    @Test
    void textBlockInputIsRefusedWhenOutOfBounds() {
        for (TextBlockInput bad : List.of(
                new TextBlockInput(null, "T", "B", null),
                new TextBlockInput("#", "T", "B", null),
                new TextBlockInput("a b", "T", "B", null),
                new TextBlockInput("a\u00a0b", "T", "B", null),
                new TextBlockInput("x".repeat(41), "T", "B", null),
                new TextBlockInput("ok", null, "B", null),
                new TextBlockInput("ok", " ", "B", null),
                new TextBlockInput("ok", "t".repeat(201), "B", null),
                new TextBlockInput("ok", "T", null, null),
                new TextBlockInput("ok", "T", "\n", null),
                new TextBlockInput("ok", "T", "b".repeat(10_001), null))) {
            assertThat(code(catalog.createTextBlock(ADMIN, bad))).as(bad.toString()).isEqualTo("bad_request");
        }
        assertThat(code(catalog.updateTextBlock(ADMIN, UUID.randomUUID().toString(), new TextBlockInput("a b", null, null, null))))
                .isEqualTo("bad_request");
        assertThat(code(catalog.searchTextBlocks(AGENT, "q".repeat(201)))).isEqualTo("bad_request");
    }

    @Test
    void articleUrlsMustBeHttpAndFlowOptionsMustBeFewUniqueAndNamed() {
        for (String url : List.of("javascript:alert(1)", "ftp://example.com", "example.com/x", "https://", "http://exa mple.com", "")) {
            assertThat(code(catalog.createArticle(ADMIN, new ArticleInput("T", "B", url)))).as(url).isEqualTo("bad_request");
        }
        for (List<Flow.Option> bad : List.of(
                List.<Flow.Option>of(),
                List.of(new Flow.Option("", "A")),
                List.of(new Flow.Option(null, "A")),
                List.of(new Flow.Option("x".repeat(65), "A")),
                List.of(new Flow.Option("a", " ")),
                List.of(new Flow.Option("a", "l".repeat(201))),
                List.of(new Flow.Option("a", "A"), new Flow.Option("a", "B")),
                java.util.stream.IntStream.range(0, 11).mapToObj(i -> new Flow.Option("o" + i, "O")).toList())) {
            assertThat(code(catalog.createFlow(ADMIN, new FlowInput("T", bad)))).as(bad.toString()).isEqualTo("bad_request");
        }
        assertThat(code(catalog.createFlow(ADMIN, new FlowInput("T", null)))).isEqualTo("bad_request");
        assertThat(code(catalog.createFlow(ADMIN, new FlowInput(null, List.of(new Flow.Option("a", "A")))))).isEqualTo("bad_request");
    }
}
