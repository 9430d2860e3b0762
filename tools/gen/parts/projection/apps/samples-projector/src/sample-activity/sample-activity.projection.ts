import type { SampleEvent } from '@cqrs/events';
import type { Projection } from '@cqrs/projections';
import { migrateSampleActivity } from './sample-activity.migrations';

/**
 * The `sample_activity` read model (written by `pnpm gen projection`): per sample, how many
 * events it has seen and the type of the last one. It runs beside the service's first projection
 * under its own name, schema (`sample_activity_rm`) and consumer group, so it is rebuilt and
 * replayed alone (`--projection sample_activity`). It reads only the envelope, so a new event
 * type needs no change here; switch on `event.type` to project an event's data.
 */
export function sampleActivityProjection(): Projection<SampleEvent> {
  return {
    name: 'sample_activity',
    migrate: async (pool, schema) => void (await migrateSampleActivity(pool, schema)),
    applyBatch: async (tx, events, { schema }) => {
      for (const event of events) {
        // A redelivered or older event is a no-op: only a newer stream version moves the row.
        await tx.query(
          `INSERT INTO ${schema}.sample_activity AS t
             (sample_id, events, last_event_type, version, updated_at)
           VALUES ($1, 1, $2, $3, $4)
           ON CONFLICT (sample_id) DO UPDATE
             SET events = t.events + 1, last_event_type = excluded.last_event_type,
                 version = excluded.version, updated_at = excluded.updated_at
             WHERE t.version < excluded.version`,
          [event.streamId, event.type, event.streamVersion, event.occurredAt],
        );
      }
    },
  };
}
