import { z } from 'zod';

/** Money is an integer number of minor units; one movement is 1..1_000_000_000 (the contract). */
export const MIN_AMOUNT = 1;
export const MAX_AMOUNT = 1_000_000_000;

export const AccountIdSchema = z.uuid();

/** ISO 4217 shape: three upper-case letters (the list of codes itself is not checked). */
export const CurrencyCodeSchema = z
  .string()
  .regex(/^[A-Z]{3}$/, { error: 'must be an ISO 4217 code: three upper-case letters' });

export const MoneyAmountSchema = z
  .int({ error: 'must be an integer number of minor units' })
  .min(MIN_AMOUNT, { error: `must be at least ${MIN_AMOUNT}` })
  .max(MAX_AMOUNT, { error: `must be at most ${MAX_AMOUNT}` });

/** z.int() already bounds to safe integers, so a balance can never lose precision in JSON. */
export const BalanceSchema = z.int().min(0);

export const OwnerIdSchema = z.string().min(1).max(200);
