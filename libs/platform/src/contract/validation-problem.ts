import type { z } from 'zod';
import { toIssuePointers } from '@cqrs/events';
import { problem, type Problem } from '../http/problem';
import { CONTRACT_HEADERS } from './request-headers.schema';

/**
 * The one shape of a validation error in a 400 VALIDATION_FAILED: a body field by its JSON
 * pointer, anything else by where it came from (path parameter, query parameter, header) and
 * its name, with a message.
 */
export type ValidationIssue =
  | { pointer: string; message: string }
  | { parameter: string; message: string }
  | { query: string; message: string }
  | { header: string; message: string };

export type IssueLocation = 'parameter' | 'query' | 'header';

/** Issues of a path, query or header schema; unknown keys are named as such. */
export function issuesAt(where: IssueLocation, error: z.ZodError): ValidationIssue[] {
  return error.issues.map((issue) =>
    issue.code === 'unrecognized_keys'
      ? ({ [where]: issue.keys.join(', '), message: 'unknown parameter' } as ValidationIssue)
      : ({ [where]: String(issue.path[0] ?? ''), message: issue.message } as ValidationIssue),
  );
}

/** Issues of a body schema, by JSON pointer (unknown fields at the field itself). */
export const bodyIssues = (error: z.ZodError): ValidationIssue[] => toIssuePointers(error.issues);

export const validationProblem = (
  errors: readonly ValidationIssue[],
  detail = 'The request is invalid.',
): Problem => problem(400, 'VALIDATION_FAILED', detail, { errors });

/** A money-moving command without a key: the request is fine, the client must name one. */
export const idempotencyKeyRequired = (): Problem =>
  problem(
    400,
    'IDEMPOTENCY_KEY_REQUIRED',
    'This command moves money: send an Idempotency-Key so that a retry cannot apply it twice.',
    { errors: [{ header: CONTRACT_HEADERS.idempotencyKey, message: 'required on this route' }] },
  );
