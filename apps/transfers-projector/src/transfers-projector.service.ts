import { transfersContext } from '@cqrs/transfers-domain';
import { transferEventRegistry, type TransferEvent } from '@cqrs/events';
import type { ProjectorServiceDefinition } from '@cqrs/projector-service';
import { GetTransferHttpController } from './get-transfer/get-transfer.http.controller';
import { ListTransfersHttpController } from './list-transfers/list-transfers.http.controller';
import { transfersProjection } from './projection/transfers.projection';

/**
 * The transfers read side as the projector-service factory serves it; shared by the service,
 * its migration job and its CLIs (rebuild, replay), so they cannot drift apart.
 */
export const transfersProjectorService: ProjectorServiceDefinition<TransferEvent> = {
  context: transfersContext,
  // The first is the read model the query API serves (READ_MODEL_SCHEMA, KAFKA_GROUP_ID).
  projections: [
    transfersProjection(),
    // gen:projections (pnpm gen projection adds one here)
  ],
  decode: (raw) => transferEventRegistry.parseEventJson(raw),
  readModelTables: ['transfers'],
  query: { controllers: [ListTransfersHttpController, GetTransferHttpController] },
};
