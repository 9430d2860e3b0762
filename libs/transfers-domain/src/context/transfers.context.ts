import { commandsOf, defineContext, PageQuerySchema } from '@cqrs/context';
import { transferEventRegistry } from '@cqrs/events';
import {
  CompleteTransferBodySchema,
  FailTransferBodySchema,
  RequestTransferBodySchema,
} from '../transfer-bodies.schema';
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
 * knows codes. CompleteTransfer and FailTransfer are the process's commands: internal, served
 * to system callers only, absent from the gateway and the public API.
 */
export const transfersContext = defineContext({
  name: 'transfers',
  description: 'Transfers: money moved from an account of the caller to any other account.',
  aggregate: {
    name: 'transfer',
    idParam: 'transferId',
    idSchema: TransferIdParamSchema.transform((id) => id.toLowerCase()),
    decider: { decide, evolve, initialState },
    events: transferEventRegistry,
    isNotFound: (error) =>
      error.code === 'TRANSFER_NOT_FOUND' || error.code === 'ACCOUNT_NOT_FOUND',
  },
  errorStatus: {
    TRANSFER_NOT_FOUND: 404,
    ACCOUNT_NOT_FOUND: 404,
    TRANSFER_ALREADY_EXISTS: 409,
    TRANSFER_ALREADY_COMPLETED: 409,
    TRANSFER_ALREADY_FAILED: 409,
    TRANSFER_SAME_ACCOUNT: 422,
    // The invalid-input codes fire only when a caller skipped body validation (a 400 first).
    TRANSFER_INVALID_AMOUNT: 422,
    TRANSFER_INVALID_ACCOUNT_ID: 422,
    TRANSFER_INVALID_FAILURE_CODE: 422,
  },
  commands: [
    command({
      operationId: 'requestTransfer',
      name: 'RequestTransfer',
      method: 'POST',
      path: '/transfers',
      summary: 'Request a transfer from an account of the caller',
      body: RequestTransferBodySchema,
      requiresIdempotencyKey: true,
      success: {
        description: 'The transfer is requested; the process decides its outcome.',
        status: 202,
        fields: { status: 'pending' },
        location: '/transfers/:transferId',
      },
      problems: [404, 413, 415, 422, 504],
      toCommand: ({ streamId, actorId, body }) => ({
        type: 'RequestTransfer',
        transferId: streamId,
        actorId,
        fromAccountId: body.fromAccountId,
        toAccountId: body.toAccountId,
        amount: body.amount,
        // A descriptor maps a request synchronously and reads nothing; the source account is
        // looked up and attached by the transfers command service before the decider runs.
        // Until then the decider reads the source as absent (ACCOUNT_NOT_FOUND).
        source: undefined,
      }),
    }),
    // The process's verdicts: system callers only, never through the gateway.
    command({
      operationId: 'completeTransfer',
      name: 'CompleteTransfer',
      method: 'POST',
      path: '/internal/transfers/:transferId/complete',
      access: 'internal',
      summary: 'Mark a transfer completed (both legs done)',
      body: CompleteTransferBodySchema,
      bodyOptional: true,
      requiresIdempotencyKey: true,
      success: { description: 'Completed.' },
      problems: [404, 409],
      toCommand: ({ streamId }) => ({ type: 'CompleteTransfer', transferId: streamId }),
    }),
    command({
      operationId: 'failTransfer',
      name: 'FailTransfer',
      method: 'POST',
      path: '/internal/transfers/:transferId/fail',
      access: 'internal',
      summary: 'Mark a transfer failed (nothing moved in the end)',
      body: FailTransferBodySchema,
      requiresIdempotencyKey: true,
      success: { description: 'Failed.' },
      problems: [404, 409, 422],
      toCommand: ({ streamId, body }) => ({
        type: 'FailTransfer',
        transferId: streamId,
        failureCode: body.failureCode,
      }),
    }),
  ],
  queries: [
    {
      operationId: 'listTransfers',
      method: 'GET',
      path: '/transfers',
      summary: 'The transfers the caller sent, newest first, a page at a time',
      query: PageQuerySchema,
      success: { status: 200, schema: 'TransfersPage', description: 'A page of transfers.' },
      problems: [],
    },
    {
      operationId: 'getTransfer',
      method: 'GET',
      path: '/transfers/:transferId',
      summary: 'One transfer the caller sent (Prefer: wait=<1..10> waits for its outcome)',
      params: TransferPathSchema,
      success: { status: 200, schema: 'Transfer', description: 'The transfer.' },
      problems: [404],
    },
  ],
  schemas: { Transfer: TransferSchema, TransfersPage: TransfersPageSchema },
  projections: ['transfers'],
});
