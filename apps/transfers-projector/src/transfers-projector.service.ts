import { processProjection, processWorker } from '@cqrs/process-manager';
import {
  TRANSFER_PROCESS_TARGETS,
  transferProcess,
  transfersContext,
} from '@cqrs/transfers-domain';
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
    // The transfer process: each TransferRequested starts one, in the same transaction as this
    // projection's checkpoint (its table in transfer_process_rm).
    processProjection(transferProcess),
    // gen:projections (pnpm gen projection adds one here)
  ],
  decode: (raw) => transferEventRegistry.parseEventJson(raw),
  readModelTables: ['transfers'],
  query: { controllers: [ListTransfersHttpController, GetTransferHttpController] },
  // Where the projections run, the process's step driver sends each transfer's commands:
  // ACCOUNTS_COMMAND_URL, TRANSFERS_COMMAND_URL and SYSTEM_TOKEN from the environment.
  workers: ({ pool, registry, log, env, schemaOf }) => [
    processWorker(transferProcess, TRANSFER_PROCESS_TARGETS, {
      pool,
      registry,
      log,
      env,
      schema: schemaOf(transferProcess.name),
    }),
  ],
};
