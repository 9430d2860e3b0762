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

export type Parsed<T> = { ok: true; value: T } | { ok: false; problem: Problem };

const invalid = (errors: ValidationIssue[]): { ok: false; problem: Problem } => ({
  ok: false,
  problem: validationProblem(errors),
});

/** Path parameters by the command's strict schema; each issue names its parameter. */
export function parseParams(schema: z.ZodObject, params: unknown): Parsed<Record<string, unknown>> {
  const result = schema.safeParse(params);
  if (result.success) return { ok: true, value: result.data };
  return invalid(issuesAt('parameter', result.error));
}

export function parseBody(schema: z.ZodType, body: unknown): Parsed<unknown> {
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

/** What a key promises to repeat: the same command on the same stream with the same body. */
export function requestHash(command: string, streamId: string | undefined, body: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify([command, streamId ?? null, body ?? null]))
    .digest('base64url');
}
