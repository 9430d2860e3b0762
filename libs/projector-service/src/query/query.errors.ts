import { validationProblem, type ValidationIssue } from '@cqrs/platform';

/**
 * A query's refusal with a stable code, mapped to problem+json at the HTTP edge only
 * (query-problems.ts): VALIDATION_FAILED (400), or a context's own `<THING>_NOT_FOUND` (404).
 */
export class QueryError extends Error {
  override readonly name = 'QueryError';

  constructor(
    readonly code: string,
    readonly status: 400 | 404,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }

  /** VALIDATION_FAILED in the contract's one shape (the gateway's). */
  static invalid(errors: ValidationIssue[]): QueryError {
    const { detail } = validationProblem(errors);
    return new QueryError('VALIDATION_FAILED', 400, detail, { errors });
  }

  /** Absent for this caller (another owner's rows read as absent: no existence leak). */
  static notFound(code: string, message: string): QueryError {
    return new QueryError(code, 404, message);
  }
}
