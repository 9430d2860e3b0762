import { z } from 'zod';
import { isConsistencyTokenShape } from '../http/consistency-token';

/**
 * The contract's request headers, one rule each, for every edge that reads them: the gateway
 * (which validates and documents them), the command service and the query API. Names are the
 * lower-case forms Node gives, which is also how validation errors name them.
 */
export const CONTRACT_HEADERS = {
  ifMatch: 'if-match',
  idempotencyKey: 'idempotency-key',
  consistencyToken: 'x-consistency-token',
} as const;

export const IfMatchSchema = z
  .string()
  .regex(/^(?:W\/)?"[1-9][0-9]{0,9}"$/, 'must be a quoted version, e.g. "3"')
  .meta({
    description:
      'Only apply the command at this version of the resource (`"<version>"`); else 412.',
    example: '"3"',
  });

/** The version an If-Match names (strong or weak ETag); undefined when it names none. */
export function ifMatchVersion(value: string): number | undefined {
  const match = /^(?:W\/)?"([1-9][0-9]{0,9})"$/.exec(value.trim());
  return match ? Number(match[1]) : undefined;
}

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
  [CONTRACT_HEADERS.ifMatch]: IfMatchSchema.optional(),
  [CONTRACT_HEADERS.idempotencyKey]: IdempotencyKeySchema.optional(),
});

export const QueryHeadersSchema = z.object({
  [CONTRACT_HEADERS.consistencyToken]: ConsistencyTokenSchema.optional(),
});
