package io.switchboard.store.pg;

import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class IdsTest {

    @Test
    void anOrderedIdIsVersionSevenWithItsMillisecondFirstAndTheRandomBitsKept() {
        UUID random = UUID.fromString("f1e2d3c4-b5a6-4978-8a6b-5c4d3e2f1a0b");
        UUID id = Ids.ordered(0x0123_4567_89ABL, random);

        assertThat(id.toString()).isEqualTo("01234567-89ab-7978-8a6b-5c4d3e2f1a0b");
        assertThat(id.version()).isEqualTo(7);
        assertThat(id.variant()).isEqualTo(2);
    }

    @Test
    void aLaterMillisecondSortsAfterAsPostgresComparesUuidsWhateverTheRandomBits() {
        // Postgres orders uuids byte by byte, as their lowercase text sorts.
        UUID high = new UUID(-1L, -1L);
        UUID low = new UUID(0L, 0L);
        String earlier = Ids.ordered(1_795_000_000_000L, high).toString();
        String later = Ids.ordered(1_795_000_000_001L, low).toString();

        assertThat(later).isGreaterThan(earlier);
    }

    @Test
    void newIdsAreRandomAndNewOrderedIdsCarryTheClock() {
        long before = System.currentTimeMillis();
        UUID ordered = Ids.newOrderedId();
        long after = System.currentTimeMillis();

        assertThat(Ids.newId().version()).isEqualTo(4);
        assertThat(ordered.version()).isEqualTo(7);
        assertThat(ordered.getMostSignificantBits() >>> 16).isBetween(before, after);
        assertThat(Ids.newOrderedId()).isNotEqualTo(ordered);
    }
}
