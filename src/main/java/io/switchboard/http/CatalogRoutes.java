package io.switchboard.http;

import io.switchboard.service.CatalogService;
import io.vertx.ext.web.Router;

/**
 * {@code /api/text-blocks}, {@code /api/articles}, {@code /api/flows}: read by agents, written by
 * admins (the service checks).
 */
final class CatalogRoutes {
    private final CatalogService catalog;

    CatalogRoutes(CatalogService catalog) {
        this.catalog = catalog;
    }

    void mount(Router api) {
        // routes arrive with the catalog
    }
}
