import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { z } from 'zod';
import {
  bodyIssues,
  CommandHeadersSchema,
  CONTRACT_HEADERS,
  ifMatchVersion,
  issuesAt,
  validationProblem,
  type Problem,
  type ValidationIssue,
} from '@cqrs/platform';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type Parsed<T> = { ok: true; value: T } | { ok: false; problem: Problem };

const invalid = (errors: ValidationIssue[]): { ok: false; problem: Problem } => ({
  ok: false,
  problem: validationProblem(errors),
});

/** Account ids are UUIDs; the canonical (lower-case) form is the stream id. */
export function parseAccountId(raw: unknown): Parsed<string> {
  if (typeof raw === 'string' && UUID.test(raw)) return { ok: true, value: raw.toLowerCase() };
  return invalid([{ parameter: 'accountId', message: 'must be a UUID' }]);
}

export function parseBody<S extends z.ZodType>(schema: S, body: unknown): Parsed<z.output<S>> {
  const result = schema.safeParse(body);
  if (result.success) return { ok: true, value: result.data };
  return invalid(bodyIssues(result.error));
}

export interface CommandHeaders {
  ifVersion: number | undefined;
  idempotencyKey: string | undefined;
}

/** If-Match and Idempotency-Key by the contract's rules (the gateway applies the same). */
export function parseCommandHeaders(request: FastifyRequest): Parsed<CommandHeaders> {
  const headers = CommandHeadersSchema.safeParse(request.headers);
  if (!headers.success) return invalid(issuesAt('header', headers.error));
  const ifMatch = headers.data[CONTRACT_HEADERS.ifMatch];
  return {
    ok: true,
    value: {
      ifVersion: ifMatch === undefined ? undefined : ifMatchVersion(ifMatch),
      idempotencyKey: headers.data[CONTRACT_HEADERS.idempotencyKey],
    },
  };
}

/** What a key promises to repeat: the same command on the same account with the same body. */
export function requestHash(command: string, accountId: string | undefined, body: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify([command, accountId ?? null, body ?? null]))
    .digest('base64url');
}
