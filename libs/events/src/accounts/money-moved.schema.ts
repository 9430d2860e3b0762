import { z } from 'zod';
import { AccountIdSchema, BalanceSchema, MoneyAmountSchema } from './account-primitives.schema';

/** Deposits and withdrawals share a shape; they stay separate event types with separate versions. */
const moneyMovedData = () =>
  z.strictObject({
    accountId: AccountIdSchema,
    amount: MoneyAmountSchema,
    balanceAfter: BalanceSchema,
  });

export const MoneyDepositedV1DataSchema = moneyMovedData();
export type MoneyDepositedData = z.infer<typeof MoneyDepositedV1DataSchema>;

export const MoneyWithdrawnV1DataSchema = moneyMovedData();
export type MoneyWithdrawnData = z.infer<typeof MoneyWithdrawnV1DataSchema>;
