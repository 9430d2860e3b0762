import { z } from 'zod';

/**
 * The gateway's half of the public contract (docs/api-contract.md) as zod schemas: the request
 * parts it validates before anything reaches a service, and the response shapes it documents.
 * The OpenAPI document is generated from these (z.toJSONSchema), so docs and checks agree.
 * The command bodies come from @cqrs/accounts-domain, the very schemas the service applies.
 */

/** Any 8-4-4-4-12 hex id (the command service's rule); unknown ids are the services' 404. */
export const AccountIdSchema = z.guid({ error: 'must be a UUID' }).meta({
  description: 'The account id (a UUID).',
  example: '0b9d1c9e-7a55-4c43-9d3f-4a8f0f0d6a11',
});

export const AccountPathSchema = z.strictObject({ accountId: AccountIdSchema });

// Request headers and paging are the platform's contract (CommandHeadersSchema, PageQuerySchema,
// ...), the same rules the services apply.

// ---- Responses (documentation; the services produce them) ----

/** Named schemas of the OpenAPI document (`#/components/schemas/<id>`). */
export const apiComponents = z.registry<{ id: string }>();

export const CommandAcceptedSchema = z.object({
  accountId: AccountIdSchema,
  version: z.int().min(1),
  consistencyToken: z.string(),
});

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
  type: z.enum(['deposit', 'withdrawal']),
  amount: z.int().min(1),
  balanceAfter: z.int().min(0),
  version: z.int().min(1),
  occurredAt: z.iso.datetime(),
});

export const TransactionsPageSchema = z.object({
  items: z.array(TransactionSchema),
  nextCursor: z.string().nullable(),
});

/** RFC 9457 with the contract's stable `code`; VALIDATION_FAILED adds `errors` with pointers. */
export const ProblemSchema = z.looseObject({
  type: z.string(),
  title: z.string(),
  status: z.int(),
  detail: z.string(),
  code: z.string().meta({ example: 'VALIDATION_FAILED' }),
  errors: z.array(z.looseObject({ message: z.string() })).optional(),
});

apiComponents.add(CommandAcceptedSchema, { id: 'CommandAccepted' });
apiComponents.add(AccountSchema, { id: 'Account' });
apiComponents.add(AccountsPageSchema, { id: 'AccountsPage' });
apiComponents.add(TransactionSchema, { id: 'Transaction' });
apiComponents.add(TransactionsPageSchema, { id: 'TransactionsPage' });
apiComponents.add(ProblemSchema, { id: 'Problem' });
