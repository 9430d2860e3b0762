import { z } from 'zod';
import { AccountIdSchema, CurrencyCodeSchema, OwnerIdSchema } from './account-primitives.schema';

/** v1, published before owners were subject ids; read from old streams and upcast to v2. */
export const AccountOpenedV1DataSchema = z.strictObject({
  accountId: AccountIdSchema,
  owner: z.string(),
  currency: CurrencyCodeSchema,
});
export type AccountOpenedV1Data = z.infer<typeof AccountOpenedV1DataSchema>;

export const AccountOpenedV2DataSchema = z.strictObject({
  accountId: AccountIdSchema,
  ownerId: OwnerIdSchema,
  currency: CurrencyCodeSchema,
});
export type AccountOpenedData = z.infer<typeof AccountOpenedV2DataSchema>;
