import {
  CurrencyCodeSchema,
  MoneyAmountSchema,
  toIssuePointers,
  TransferIdSchema,
  type IssuePointer,
} from '@cqrs/events';
import { z } from 'zod';

/**
 * HTTP bodies of the account commands (public contract). Strict: an unknown field is a 400,
 * never silently ignored. The limits come from the event schemas, so they cannot drift.
 */
export const OpenAccountBodySchema = z.strictObject({
  currency: CurrencyCodeSchema.meta({ example: 'EUR' }),
});
export type OpenAccountBody = z.infer<typeof OpenAccountBodySchema>;

/** Deposits and withdrawals: `amount` is an integer of minor units, 1..1_000_000_000. */
export const AmountBodySchema = z.strictObject({
  amount: MoneyAmountSchema.meta({ example: 2500 }),
});
export type AmountBody = z.infer<typeof AmountBodySchema>;

/** The contract allows no body or `{}`; the HTTP layer passes an absent body as `{}`. */
export const CloseBodySchema = z.strictObject({});
export type CloseBody = z.infer<typeof CloseBodySchema>;

/**
 * Bodies of the internal transfer legs (debit, refund), sent by the transfer process. The
 * transfer id is canonical in lower case, so one transfer keys one request however it is spelt.
 */
export const TransferLegBodySchema = z.strictObject({
  transferId: TransferIdSchema.transform((id) => id.toLowerCase()),
  amount: MoneyAmountSchema,
});
export type TransferLegBody = z.infer<typeof TransferLegBodySchema>;

/** The credit leg names the transfer's currency: the destination must hold the same. */
export const TransferCreditBodySchema = TransferLegBodySchema.extend({
  currency: CurrencyCodeSchema,
});
export type TransferCreditBody = z.infer<typeof TransferCreditBodySchema>;

/** Zod issues -> `{ pointer: '/amount', message }`, the `errors` of a VALIDATION_FAILED 400. */
export const toValidationIssues = (error: z.ZodError): IssuePointer[] =>
  toIssuePointers(error.issues);
