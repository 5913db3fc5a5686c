package io.switchboard.testing;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.util.Map;

/**
 * A test class whose every test gets its own node (fresh database and Redis prefix) and the
 * fixtures to populate it. A class changes the node's environment by overriding {@link #env()};
 * its own {@code @BeforeEach} runs after the node started, its {@code @AfterEach} before it stops.
 */
public abstract class NodeTestBase {
    protected TestNode node;
    protected Fixtures fx;

    /** Environment variables of this class's nodes, over the test defaults. */
    protected Map<String, String> env() {
        return Map.of();
    }

    @BeforeEach
    final void startNode() {
        node = TestNode.start(env());
        fx = new Fixtures(node);
    }

    @AfterEach
    final void stopNode() {
        node.close();
    }
}
