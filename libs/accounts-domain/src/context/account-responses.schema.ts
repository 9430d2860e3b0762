import { z } from 'zod';

/**
 * The accounts query API's answers (public contract), named for the OpenAPI document. The
 * query service produces them; the gateway documents them from here.
 */

/** Any 8-4-4-4-12 hex id; the lower-case form is the stream id. Unknown ids are the services' 404. */
export const AccountIdSchema = z.guid({ error: 'must be a UUID' }).meta({
  description: 'The account id (a UUID).',
  example: '0b9d1c9e-7a55-4c43-9d3f-4a8f0f0d6a11',
});

export const AccountPathSchema = z.strictObject({ accountId: AccountIdSchema });

export const AccountSchema = z.object({
  accountId: AccountIdSchema,
  ownerId: z.string(),
  currency: z.string().regex(/^[A-Z]{3}$/),
  balance: z.int().min(0),
  status: z.enum(['open', 'closed']),
  version: z.int().min(1),
  openedAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});

export const AccountsPageSchema = z.object({
  items: z.array(AccountSchema),
  nextCursor: z.string().nullable(),
});

export const TransactionSchema = z.object({
  type: z.enum(['deposit', 'withdrawal', 'transfer-out', 'transfer-in', 'transfer-refund']).meta({
    description:
      'transfer-out: the account sent a transfer; transfer-in: it received one; transfer-refund: a failed transfer gave its debit back.',
  }),
  transferId: z.uuid().optional().meta({
    description:
      'The transfer this item belongs to; present on transfer items only, absent on deposits and withdrawals.',
  }),
  amount: z.int().min(1),
  balanceAfter: z.int().min(0),
  version: z.int().min(1),
  occurredAt: z.iso.datetime(),
});

export const TransactionsPageSchema = z.object({
  items: z.array(TransactionSchema),
  nextCursor: z.string().nullable(),
});
