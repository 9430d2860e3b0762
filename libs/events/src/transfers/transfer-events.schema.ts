import { z } from 'zod';

export const TransferIdSchema = z.uuid();
export const TransferTitleSchema = z.string().min(1).max(200);

export const TransferCreatedV1DataSchema = z.strictObject({
  transferId: TransferIdSchema,
  ownerId: z.string().min(1).max(200),
  title: TransferTitleSchema,
});
export type TransferCreatedData = z.infer<typeof TransferCreatedV1DataSchema>;

export const TransferRenamedV1DataSchema = z.strictObject({
  transferId: TransferIdSchema,
  title: TransferTitleSchema,
});
export type TransferRenamedData = z.infer<typeof TransferRenamedV1DataSchema>;
