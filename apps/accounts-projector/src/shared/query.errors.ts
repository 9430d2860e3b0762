import { validationProblem, type ValidationIssue } from '@cqrs/platform';

/** Stable codes of the query API, mapped to problem+json at the HTTP edge only. */
export type QueryErrorCode = 'VALIDATION_FAILED' | 'ACCOUNT_NOT_FOUND';

const STATUS: Record<QueryErrorCode, number> = { VALIDATION_FAILED: 400, ACCOUNT_NOT_FOUND: 404 };

export class QueryError extends Error {
  override readonly name = 'QueryError';
  readonly status: number;

  constructor(
    readonly code: QueryErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.status = STATUS[code];
  }

  /** VALIDATION_FAILED in the contract's one shape (the gateway's). */
  static invalid(errors: ValidationIssue[]): QueryError {
    const { detail } = validationProblem(errors);
    return new QueryError('VALIDATION_FAILED', detail, { errors });
  }
}

export const accountNotFound = (): QueryError =>
  new QueryError('ACCOUNT_NOT_FOUND', 'No such account for this caller.');
