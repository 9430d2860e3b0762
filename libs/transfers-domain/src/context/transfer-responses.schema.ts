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
  ownerId: z.string(),
  title: z.string(),
  version: z.int().min(1),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});

export const TransfersPageSchema = z.object({
  items: z.array(TransferSchema),
  nextCursor: z.string().nullable(),
});
