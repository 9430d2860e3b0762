import { z } from 'zod';
import { isConsistencyTokenShape } from '@cqrs/platform';

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

export const PageQuerySchema = z.object({
  limit: z
    .string()
    .regex(/^\d{1,3}$/, 'an integer from 1 to 100')
    .refine((raw) => Number(raw) >= 1 && Number(raw) <= 100, 'an integer from 1 to 100')
    .optional()
    .meta({ description: 'Page size, 1..100 (default 20).', example: '20' }),
  cursor: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,512}$/, 'a cursor this API issued')
    .optional()
    .meta({ description: 'The `nextCursor` of the previous page (opaque).' }),
});

export const IfMatchSchema = z
  .string()
  .regex(/^(?:W\/)?"[1-9][0-9]{0,9}"$/, 'must be a quoted version, e.g. "3"')
  .meta({
    description: 'Only apply the command at this account version (`"<version>"`); else 412.',
    example: '"3"',
  });

export const IdempotencyKeySchema = z
  .string()
  .regex(/^[\x21-\x7e]{1,200}$/, 'must be 1-200 visible ASCII characters')
  .meta({ description: 'Repeat-safe commands: the same key and body return the first outcome.' });

export const ConsistencyTokenSchema = z
  .string()
  .refine(isConsistencyTokenShape, 'not a valid consistency token')
  .meta({
    description:
      'Read your own write: the `consistencyToken` of a command response. The answer includes that write, or carries `X-Consistency: stale` when the wait bound passed first.',
  });

export const CommandHeadersSchema = z.object({
  'if-match': IfMatchSchema.optional(),
  'idempotency-key': IdempotencyKeySchema.optional(),
});

export const QueryHeadersSchema = z.object({
  'x-consistency-token': ConsistencyTokenSchema.optional(),
});

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
