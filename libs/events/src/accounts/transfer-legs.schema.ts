import { z } from 'zod';
import { AccountIdSchema, BalanceSchema, MoneyAmountSchema } from './account-primitives.schema';

/** The transfer (in the transfers context) a leg belongs to; it correlates the two sides. */
export const TransferIdSchema = z.uuid();

/**
 * The legs of a transfer on one account, decided by the accounts context at the request of the
 * transfer process: money out of the source, into the destination, or back to the source when
 * the credit could not happen. One shape, separate event types with separate versions.
 */
const transferLegData = () =>
  z.strictObject({
    accountId: AccountIdSchema,
    transferId: TransferIdSchema,
    amount: MoneyAmountSchema,
    balanceAfter: BalanceSchema,
  });

export const AccountDebitedForTransferV1DataSchema = transferLegData();
export type AccountDebitedForTransferData = z.infer<typeof AccountDebitedForTransferV1DataSchema>;

export const AccountCreditedForTransferV1DataSchema = transferLegData();
export type AccountCreditedForTransferData = z.infer<typeof AccountCreditedForTransferV1DataSchema>;

export const AccountRefundedForTransferV1DataSchema = transferLegData();
export type AccountRefundedForTransferData = z.infer<typeof AccountRefundedForTransferV1DataSchema>;
