import { AccountIdSchema, MoneyAmountSchema, TransferFailureCodeSchema } from '@cqrs/events';
import { z } from 'zod';

/** An account id as a body names it; the lower-case form is the account's stream id. */
const AccountRefSchema = AccountIdSchema.transform((id) => id.toLowerCase());

/**
 * HTTP body of `POST /transfers` (public contract). Strict: an unknown field is a 400, never
 * silently ignored. The limits come from the event schemas, so they cannot drift.
 */
export const RequestTransferBodySchema = z.strictObject({
  fromAccountId: AccountRefSchema.meta({
    description: 'The source account; the caller must own it.',
    example: '0b9d1c9e-7a55-4c43-9d3f-4a8f0f0d6a11',
  }),
  toAccountId: AccountRefSchema.meta({
    description: 'The destination account, of any owner.',
    example: '5c2e7a10-3f4b-4d8e-9a1c-2b3d4e5f6a7b',
  }),
  amount: MoneyAmountSchema.meta({ example: 2500 }),
});
export type RequestTransferBody = z.output<typeof RequestTransferBodySchema>;

/** Internal `POST /internal/transfers/:transferId/complete`: the process's verdict, no fields. */
export const CompleteTransferBodySchema = z.strictObject({});

/** Internal `POST /internal/transfers/:transferId/fail`: why nothing moved in the end. */
export const FailTransferBodySchema = z.strictObject({ failureCode: TransferFailureCodeSchema });
