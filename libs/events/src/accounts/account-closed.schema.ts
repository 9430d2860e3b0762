import { z } from 'zod';
import { AccountIdSchema } from './account-primitives.schema';

export const AccountClosedV1DataSchema = z.strictObject({ accountId: AccountIdSchema });
export type AccountClosedData = z.infer<typeof AccountClosedV1DataSchema>;
