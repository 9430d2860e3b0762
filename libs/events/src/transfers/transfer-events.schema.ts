import { z } from 'zod';
import {
  AccountIdSchema,
  CurrencyCodeSchema,
  MoneyAmountSchema,
  OwnerIdSchema,
} from '../accounts/account-primitives.schema';
// One transfer id for both sides: the accounts' transfer legs name the transfer they belong to.
import { TransferIdSchema } from '../accounts/transfer-legs.schema';

/**
 * Why a transfer failed, as the sender may learn it. The destination's state is folded into one
 * code on purpose: the sender learns no more than "unavailable" about an account not theirs.
 */
export const TRANSFER_FAILURE_CODES = [
  'ACCOUNT_INSUFFICIENT_FUNDS',
  'ACCOUNT_CLOSED',
  'TRANSFER_DESTINATION_UNAVAILABLE',
  'TRANSFER_CURRENCY_MISMATCH',
] as const;
export const TransferFailureCodeSchema = z.enum(TRANSFER_FAILURE_CODES);
export type TransferFailureCode = z.infer<typeof TransferFailureCodeSchema>;

/** `requestedBy` is the sender (the source account's owner when requested): the transfer's reader. */
export const TransferRequestedV1DataSchema = z.strictObject({
  transferId: TransferIdSchema,
  fromAccountId: AccountIdSchema,
  toAccountId: AccountIdSchema,
  amount: MoneyAmountSchema,
  currency: CurrencyCodeSchema,
  requestedBy: OwnerIdSchema,
});
export type TransferRequestedData = z.infer<typeof TransferRequestedV1DataSchema>;

export const TransferCompletedV1DataSchema = z.strictObject({ transferId: TransferIdSchema });
export type TransferCompletedData = z.infer<typeof TransferCompletedV1DataSchema>;

export const TransferFailedV1DataSchema = z.strictObject({
  transferId: TransferIdSchema,
  failureCode: TransferFailureCodeSchema,
});
export type TransferFailedData = z.infer<typeof TransferFailedV1DataSchema>;
