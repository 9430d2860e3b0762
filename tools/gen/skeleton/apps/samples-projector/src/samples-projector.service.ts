import { samplesContext } from '@cqrs/samples-domain';
import { sampleEventRegistry, type SampleEvent } from '@cqrs/events';
import type { ProjectorServiceDefinition } from '@cqrs/projector-service';
import { GetSampleHttpController } from './get-sample/get-sample.http.controller';
import { ListSamplesHttpController } from './list-samples/list-samples.http.controller';
import { samplesProjection } from './projection/samples.projection';

/**
 * The samples read side as the projector-service factory serves it; shared by the service,
 * its migration job and its CLIs (rebuild, replay), so they cannot drift apart.
 */
export const samplesProjectorService: ProjectorServiceDefinition<SampleEvent> = {
  context: samplesContext,
  // The first is the read model the query API serves (READ_MODEL_SCHEMA, KAFKA_GROUP_ID).
  projections: [
    samplesProjection(),
    // gen:projections (pnpm gen projection adds one here)
  ],
  decode: (raw) => sampleEventRegistry.parseEventJson(raw),
  readModelTables: ['samples'],
  query: { controllers: [ListSamplesHttpController, GetSampleHttpController] },
};
