import { commandsOf, defineContext, PageQuerySchema } from '@cqrs/context';
import { transferEventRegistry } from '@cqrs/events';
import { TransferTitleBodySchema } from '../transfer-bodies.schema';
import type { TransferCommand } from '../transfer.commands';
import { decide } from '../transfer.decider';
import { evolve, initialState } from '../transfer.state';
import {
  TransferIdParamSchema,
  TransferPathSchema,
  TransferSchema,
  TransfersPageSchema,
} from './transfer-responses.schema';

const command = commandsOf<TransferCommand>();

/**
 * The transfers context as data: the command service, the gateway and the stack are built from
 * this. The HTTP status of each domain error is decided here, at the edge; the decider only
 * knows codes.
 */
export const transfersContext = defineContext({
  name: 'transfers',
  description: 'Transfers: created and renamed by their owner.',
  aggregate: {
    name: 'transfer',
    idParam: 'transferId',
    idSchema: TransferIdParamSchema.transform((id) => id.toLowerCase()),
    decider: { decide, evolve, initialState },
    events: transferEventRegistry,
    isNotFound: (error) => error.code === 'TRANSFER_NOT_FOUND',
  },
  errorStatus: {
    TRANSFER_NOT_FOUND: 404,
    TRANSFER_ALREADY_EXISTS: 409,
    // Fires only when a caller skipped body validation (a 400 first).
    TRANSFER_INVALID_TITLE: 422,
  },
  commands: [
    command({
      operationId: 'createTransfer',
      name: 'CreateTransfer',
      method: 'POST',
      path: '/transfers',
      summary: 'Create one transfer owned by the caller',
      body: TransferTitleBodySchema,
      success: { description: 'The transfer is created.' },
      problems: [413, 415, 422, 504],
      toCommand: ({ streamId, actorId, body }) => ({
        type: 'CreateTransfer',
        transferId: streamId,
        actorId,
        ownerId: actorId,
        title: body.title,
      }),
    }),
    command({
      operationId: 'renameTransfer',
      name: 'RenameTransfer',
      method: 'POST',
      path: '/transfers/:transferId/rename',
      summary: 'Rename one transfer',
      body: TransferTitleBodySchema,
      success: { description: 'Renamed.' },
      problems: [404, 409, 412, 413, 415, 422, 504],
      toCommand: ({ streamId, actorId, body }) => ({
        type: 'RenameTransfer',
        transferId: streamId,
        actorId,
        title: body.title,
      }),
    }),
    // gen:commands (pnpm gen command adds an entry here)
  ],
  queries: [
    {
      operationId: 'listTransfers',
      method: 'GET',
      path: '/transfers',
      summary: "The caller's transfers, a page at a time",
      query: PageQuerySchema,
      success: { status: 200, schema: 'TransfersPage', description: 'A page of transfers.' },
      problems: [],
    },
    {
      operationId: 'getTransfer',
      method: 'GET',
      path: '/transfers/:transferId',
      summary: 'One transfer of the caller',
      params: TransferPathSchema,
      success: { status: 200, schema: 'Transfer', description: 'The transfer.' },
      problems: [404],
    },
  ],
  schemas: { Transfer: TransferSchema, TransfersPage: TransfersPageSchema },
  projections: ['transfers'],
});
