import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { toValidationIssues } from '@cqrs/accounts-domain';
import { problem, type Problem } from '@cqrs/platform';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;
const IF_MATCH = /^(?:W\/)?"([1-9][0-9]{0,9})"$/;

export type Parsed<T> = { ok: true; value: T } | { ok: false; problem: Problem };

const invalid = (detail: string, errors: object[]): { ok: false; problem: Problem } => ({
  ok: false,
  problem: problem(400, 'VALIDATION_FAILED', detail, { errors }),
});

/** Account ids are UUIDs; the canonical (lower-case) form is the stream id. */
export function parseAccountId(raw: unknown): Parsed<string> {
  if (typeof raw === 'string' && UUID.test(raw)) return { ok: true, value: raw.toLowerCase() };
  return invalid('accountId must be a UUID.', [
    { parameter: 'accountId', message: 'must be a UUID' },
  ]);
}

export function parseBody<S extends z.ZodType>(schema: S, body: unknown): Parsed<z.output<S>> {
  const result = schema.safeParse(body);
  if (result.success) return { ok: true, value: result.data };
  return invalid('The request body is invalid.', toValidationIssues(result.error));
}

export interface CommandHeaders {
  ifVersion: number | undefined;
  idempotencyKey: string | undefined;
}

/** If-Match: "<version>" (a strong or weak ETag of the version); Idempotency-Key: 1-200 visible ASCII. */
export function parseCommandHeaders(request: FastifyRequest): Parsed<CommandHeaders> {
  const ifMatch = request.headers['if-match'];
  const key = request.headers['idempotency-key'];
  let ifVersion: number | undefined;
  if (ifMatch !== undefined) {
    const match = typeof ifMatch === 'string' ? IF_MATCH.exec(ifMatch.trim()) : null;
    if (!match)
      return invalid('If-Match must be a quoted version, e.g. "3".', [
        { header: 'If-Match', message: 'must be "<version>"' },
      ]);
    ifVersion = Number(match[1]);
  }
  if (key !== undefined && (typeof key !== 'string' || !IDEMPOTENCY_KEY.test(key))) {
    return invalid('Idempotency-Key must be 1 to 200 visible ASCII characters.', [
      { header: 'Idempotency-Key', message: 'must be 1-200 visible ASCII characters' },
    ]);
  }
  return { ok: true, value: { ifVersion, idempotencyKey: key } };
}

/** What a key promises to repeat: the same command on the same account with the same body. */
export function requestHash(command: string, accountId: string | undefined, body: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify([command, accountId ?? null, body ?? null]))
    .digest('base64url');
}
