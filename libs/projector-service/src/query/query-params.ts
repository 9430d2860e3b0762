import { z } from 'zod';
import { issuesAt, type IssueLocation } from '@cqrs/platform';
import { QueryError } from './query.errors';

/**
 * The contract's paging rules (limit 1..100, default 20; the slice decodes its own cursor) are
 * `PageParamsSchema` of the descriptor lib, the same rules the gateway validates with.
 */
export { PageParamsSchema, type PageParams } from '@cqrs/context';

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

/** Validates at the edge; a failure is a 400 VALIDATION_FAILED naming each bad parameter. */
export function parseOrFail<S extends z.ZodType>(
  schema: S,
  input: unknown,
  where: IssueLocation,
): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw QueryError.invalid(issuesAt(where, result.error));
}

const UuidSchema = z.uuid();

/** A UUID path parameter, lower-cased (the canonical stream id), or a 400 naming it. */
export function uuidParamOrFail(parameter: string, value: string): string {
  if (UuidSchema.safeParse(value).success) return value.toLowerCase();
  throw QueryError.invalid([{ parameter, message: 'must be a UUID' }]);
}

/** A well-formed cursor that does not decode to a position of this list. */
export const unknownCursor = (): QueryError =>
  QueryError.invalid([{ query: 'cursor', message: 'unknown cursor' }]);
