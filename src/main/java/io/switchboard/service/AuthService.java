package io.switchboard.service;

import io.switchboard.domain.Agent;
import io.switchboard.domain.Failure;
import io.switchboard.domain.Visitor;
import io.switchboard.domain.Widget;
import io.switchboard.store.pg.AgentStore;
import io.switchboard.store.pg.VisitorStore;
import io.switchboard.store.pg.WidgetStore;
import io.vertx.core.Future;

/** Who is asking: agents by e-mail and password, then by token; visitors by widget key and visitor token. */
public final class AuthService {
    private static final int WIDGET_CACHE_MAX = 10_000;
    private final AgentStore agents;
    private final WidgetStore widgets;
    private final VisitorStore visitors;
    private final Passwords passwords;
    private final Tokens tokens;
    private final java.util.concurrent.ConcurrentHashMap<String, Widget> widgetCache = new java.util.concurrent.ConcurrentHashMap<>();

    public AuthService(AgentStore agents, WidgetStore widgets, VisitorStore visitors, Passwords passwords, Tokens tokens) {
        this.agents = agents;
        this.widgets = widgets;
        this.visitors = visitors;
        this.passwords = passwords;
        this.tokens = tokens;
    }

    /** A logged-in agent and its token. */
    public record Login(String token, Agent agent) {
    }

    public Future<Login> login(String email, String password) {
        return agents.byEmail(email).compose(found -> passwords
                .check(password, found.map(AgentStore.Credentials::passwordHash).orElse(null))
                .map(ok -> {
                    if (!ok) {
                        throw Failure.unauthorized("wrong e-mail or password");
                    }
                    Agent a = found.orElseThrow().agent();
                    return new Login(tokens.issue(a.id()), a);
                }));
    }

    /** The agent a token names, as it is now (role and teams read afresh). */
    public Future<Agent> agent(String token) {
        return tokens.verify(token).compose(agents::byId)
                .map(a -> a.orElseThrow(() -> Failure.unauthorized("this agent no longer exists")));
    }

    /** An agent as it is now, if it still exists. */
    public Future<java.util.Optional<Agent>> agentById(String agentId) {
        return agents.byId(agentId);
    }

    /** A visitor and, when it is new, the token it must keep. */
    /** @param created a visitor seen for the first time (it has no conversation yet) */
    public record VisitorSession(Widget widget, Visitor visitor, String token, boolean created) {
    }

    /**
     * Resolves a customer socket: the widget by key ({@code not_found} if unknown), then the visitor
     * by token ({@code unauthorized} if the token is not one of this workspace's), or a new visitor.
     */
    public Future<VisitorSession> visitor(String widgetKey, String token, String name, String email) {
        if (widgetKey == null || widgetKey.isBlank()) {
            return Future.failedFuture(Failure.unauthorized("a widget key is required"));
        }
        return widget(widgetKey).compose(w -> {
            if (w.isEmpty()) {
                return Future.failedFuture(Failure.notFound("unknown widget key"));
            }
            Widget widget = w.get();
            if (token == null || token.isEmpty()) {
                return visitors.create(widget, name, email).map(c -> new VisitorSession(widget, c.visitor(), c.token(), true));
            }
            return visitors.byToken(widget.workspaceId(), token).compose(v -> v.isEmpty()
                    ? Future.failedFuture(Failure.unauthorized("unknown visitor token"))
                    : visitors.updateContact(v.get(), name, email).map(vv -> new VisitorSession(widget, vv, token, false)));
        });
    }

    /** What a widget may learn before it connects: its widget, and whether its stored visitor token still counts. */
    public record WidgetCheck(Widget widget, Boolean visitorKnown) {
    }

    /** {@code not_found} for an unknown key; {@code visitorKnown} is null when no token was given. */
    public Future<WidgetCheck> checkWidget(String widgetKey, String token) {
        return widget(widgetKey).compose(w -> {
            if (w.isEmpty()) {
                return Future.failedFuture(Failure.notFound("unknown widget key"));
            }
            if (token == null || token.isEmpty()) {
                return Future.succeededFuture(new WidgetCheck(w.get(), null));
            }
            return visitors.byToken(w.get().workspaceId(), token).map(v -> new WidgetCheck(w.get(), v.isPresent()));
        });
    }

    /**
     * A widget by key, cached: every customer connection names one, and widgets never change once
     * created (there is no API to edit or delete them; one that is added must clear this cache on
     * every node). Unknown keys are not cached, so guessing cannot fill the cache.
     */
    private Future<java.util.Optional<Widget>> widget(String key) {
        Widget cached = widgetCache.get(key);
        if (cached != null) {
            return Future.succeededFuture(java.util.Optional.of(cached));
        }
        return widgets.byKey(key).onSuccess(w -> w.ifPresent(found -> {
            if (widgetCache.size() >= WIDGET_CACHE_MAX) {
                widgetCache.clear();
            }
            widgetCache.put(key, found);
        }));
    }

    /** A widget this node removed (its warm-up's): its key no longer names anything. */
    public void forgetWidget(String key) {
        widgetCache.remove(key);
    }

    /** The visitor an HTTP call's {@code ?token=} names. */
    public Future<Visitor> visitorByToken(String token) {
        return visitors.byToken(token).map(v -> v.orElseThrow(() -> Failure.unauthorized("unknown visitor token")));
    }
}
