import { z } from 'zod';
import { QueryError } from './query.errors';

export const AccountIdParamSchema = z.uuid();

/** limit 1..100, default 20; the cursor is opaque and decoded by the slice that issued it. */
export const PageQuerySchema = z.object({
  limit: z
    .string()
    .regex(/^\d{1,3}$/, 'an integer from 1 to 100')
    .transform(Number)
    .pipe(z.number().int().min(1, 'at least 1').max(100, 'at most 100'))
    .default(20),
  cursor: z.string().min(1).max(512).optional(),
});
export type PageQuery = z.output<typeof PageQuerySchema>;

export const PositionQuerySchema = z.object({
  streamId: z.string().min(1).max(200),
  version: z
    .string()
    .regex(/^\d{1,9}$/)
    .transform(Number)
    .pipe(z.number().int().min(1)),
  timeoutMs: z
    .string()
    .regex(/^\d{1,7}$/)
    .transform(Number)
    .optional(),
});

/** Validates at the edge; a failure is a 400 VALIDATION_FAILED naming each bad field. */
export function parseOrFail<S extends z.ZodType>(
  schema: S,
  input: unknown,
  what: string,
): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const errors = result.error.issues.map((issue) => ({
    field: issue.path.join('.') || what,
    message: issue.message,
  }));
  throw new QueryError('VALIDATION_FAILED', `Invalid ${what}.`, { errors });
}

export function accountIdOrFail(accountId: string): string {
  return parseOrFail(AccountIdParamSchema, accountId, 'accountId').toLowerCase();
}
