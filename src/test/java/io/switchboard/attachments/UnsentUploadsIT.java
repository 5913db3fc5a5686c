package io.switchboard.attachments;

import io.switchboard.service.AttachmentService;
import io.switchboard.store.pg.PgPools;
import io.switchboard.testing.Fixtures;
import io.switchboard.testing.Http;
import io.switchboard.testing.TestNode;
import io.switchboard.testing.TestServers;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static io.switchboard.testing.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;

/** Uploads nobody sends within a day are removed, row and file; sent ones stay. */
class UnsentUploadsIT {

    @Test
    void anUploadNeverSentForADayIsRemovedWithItsFile() throws Exception {
        try (TestNode node = TestNode.start()) {
            Fixtures fx = new Fixtures(node);
            byte[] text = "just some text".getBytes(StandardCharsets.UTF_8);
            Http.Response old = node.http().upload("/api/attachments", "old.txt", "text/plain", text, fx.adminToken());
            Http.Response fresh = node.http().upload("/api/attachments", "fresh.txt", "text/plain", text, fx.adminToken());
            String oldId = old.body().getString("id");
            String pgUrl = node.env("SWITCHBOARD_PG_URL");
            TestServers.sql(pgUrl, "update attachments set created_at = now() - interval '2 days' where id = '" + oldId + "'");
            Path dir = Path.of(node.env("SWITCHBOARD_DATA_DIR"), "attachments").toAbsolutePath();
            Path oldFile = dir.resolve(oldId.substring(0, 2)).resolve(oldId);
            assertThat(oldFile).exists();

            Vertx vertx = Vertx.vertx();
            Pool pool = PgPools.create(vertx, pgUrl, 1, "test");
            try {
                AttachmentService service = new AttachmentService(vertx, pool, dir, 1_000_000);
                assertThat(await(service.sweepUnsent())).isEqualTo(1);
                assertThat(await(service.sweepUnsent())).isZero();
            } finally {
                await(vertx.close());
            }
            assertThat(Files.exists(oldFile)).isFalse();
            assertThat(node.http().getBytes("/api/attachments/" + oldId, fx.adminToken()).statusCode()).isEqualTo(404);
            assertThat(node.http().getBytes("/api/attachments/" + fresh.body().getString("id"), fx.adminToken()).statusCode())
                    .isEqualTo(200);
        }
    }
}
