import { TRANSFER_FAILURE_CODES } from '@cqrs/events';
import { z } from 'zod';

/**
 * The query API's answers (public contract), named for the OpenAPI document. The query
 * service produces them; the gateway documents them from here.
 */

/** Any 8-4-4-4-12 hex id; the lower-case form is the stream id. */
export const TransferIdParamSchema = z.guid({ error: 'must be a UUID' }).meta({
  description: 'The transfer id (a UUID).',
  example: '0b9d1c9e-7a55-4c43-9d3f-4a8f0f0d6a11',
});

export const TransferPathSchema = z.strictObject({ transferId: TransferIdParamSchema });

export const TransferSchema = z.object({
  transferId: TransferIdParamSchema,
  fromAccountId: z.string(),
  toAccountId: z.string(),
  amount: z.int().min(1),
  currency: z.string().regex(/^[A-Z]{3}$/),
  status: z.enum(['pending', 'completed', 'failed']),
  failureCode: z.enum(TRANSFER_FAILURE_CODES).nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  version: z.int().min(1),
});

export const TransfersPageSchema = z.object({
  items: z.array(TransferSchema),
  nextCursor: z.string().nullable(),
});
