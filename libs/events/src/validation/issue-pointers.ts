import type { z } from 'zod';

/** One validation problem, addressed by an RFC 6901 JSON pointer (`/amount`, `/data/ownerId`). */
export interface IssuePointer {
  readonly pointer: string;
  readonly message: string;
}

const escapeSegment = (segment: PropertyKey): string =>
  String(segment).replace(/~/g, '~0').replace(/\//g, '~1');

const toPointer = (path: readonly PropertyKey[]): string =>
  path.map((segment) => `/${escapeSegment(segment)}`).join('');

/**
 * Flattens zod issues into pointer/message pairs, the shape problem+json bodies and dead-letter
 * headers carry. Unknown keys are reported at the key itself (zod reports them at the parent
 * object), so a client sees `/extra` rather than an anonymous `""`.
 */
export function toIssuePointers(issues: readonly z.core.$ZodIssue[]): IssuePointer[] {
  return issues.flatMap((issue): IssuePointer[] => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        pointer: toPointer([...issue.path, key]),
        message: 'unknown field',
      }));
    }
    return [{ pointer: toPointer(issue.path), message: issue.message }];
  });
}
