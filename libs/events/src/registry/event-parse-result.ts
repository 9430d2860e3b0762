import type { IssuePointer } from '../validation/issue-pointers';

export type EventParseErrorCode =
  | 'EVENT_INVALID_JSON'
  | 'EVENT_INVALID_ENVELOPE'
  | 'EVENT_UNKNOWN_TYPE'
  | 'EVENT_UNKNOWN_VERSION'
  | 'EVENT_INVALID_PAYLOAD';

/** Plain data, so a consumer can put it in a dead-letter header or a log line as is. */
export interface EventParseError {
  readonly code: EventParseErrorCode;
  readonly message: string;
  readonly issues?: readonly IssuePointer[];
}

export type EventParseResult<Event> =
  | { readonly ok: true; readonly event: Event }
  | { readonly ok: false; readonly error: EventParseError };

export const parseFailure = (
  code: EventParseErrorCode,
  message: string,
  issues?: readonly IssuePointer[],
): { readonly ok: false; readonly error: EventParseError } => ({
  ok: false,
  error: issues === undefined ? { code, message } : { code, message, issues },
});
