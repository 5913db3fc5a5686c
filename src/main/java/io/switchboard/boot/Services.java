package io.switchboard.boot;

import io.switchboard.bus.Control;
import io.switchboard.bus.Fanout;
import io.switchboard.config.Config;
import io.switchboard.metrics.Gauges;
import io.switchboard.metrics.Metrics;
import io.switchboard.service.AdminService;
import io.switchboard.service.AttachmentService;
import io.switchboard.service.CatalogService;
import io.switchboard.service.InviteService;
import io.switchboard.service.AuthService;
import io.switchboard.service.ConversationService;
import io.switchboard.service.DirectoryService;
import io.switchboard.service.PresenceService;
import io.switchboard.service.Lanes;
import io.switchboard.service.RoutingService;
import io.switchboard.store.redis.PresenceStore;
import io.vertx.sqlclient.Pool;

/** Everything a verticle needs, built once per node and shared by every verticle instance (all thread-safe). */
public record Services(Config config, String nodeId, Pool pool, PresenceStore presenceStore, Fanout fanout,
                       Control control, AuthService auth, AdminService admin, ConversationService conversations,
                       PresenceService presence, RoutingService routing, Lanes lanes, CatalogService catalog,
                       AttachmentService attachments, InviteService invites, DirectoryService directory,
                       Metrics metrics, Gauges gauges, Readiness readiness) {
}
