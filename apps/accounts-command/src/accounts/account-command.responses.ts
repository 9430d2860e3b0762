import { accountsContext, type AccountError } from '@cqrs/accounts-domain';

const accountErrorHttpStatus = accountsContext.errorStatus;
import type { CommandContext, CommandOutcome, StoredResponse } from '@cqrs/event-store';
import { problem, type ConsistencyTokens } from '@cqrs/platform';

/**
 * The HTTP answer of every command outcome, as the contract states it. It is computed before
 * the append so a keyed command's first answer can be stored with its events and replayed
 * byte for byte.
 */
export function respondToAccountCommand(
  outcome: CommandOutcome<AccountError>,
  context: CommandContext,
  tokens: ConsistencyTokens,
): StoredResponse {
  switch (outcome.kind) {
    case 'accepted':
      return {
        // Version 1 means this command created the account (only OpenAccount starts a stream).
        status: outcome.version === 1 ? 201 : 200,
        body: {
          accountId: context.streamId,
          version: outcome.version,
          consistencyToken: tokens.encode({
            streamId: context.streamId,
            version: outcome.version,
          }),
        },
      };
    case 'rejected':
      return {
        status: accountErrorHttpStatus[outcome.error.code],
        body: problem(
          accountErrorHttpStatus[outcome.error.code],
          outcome.error.code,
          outcome.error.message,
        ),
      };
    case 'precondition-failed':
      return {
        status: 412,
        body: problem(
          412,
          'VERSION_CONFLICT',
          `If-Match names version ${String(context.ifVersion)}, the account is at version ${outcome.version}.`,
          {
            currentVersion: outcome.version,
          },
        ),
      };
    case 'contended':
      // A conflict of this one account, not a failure of the service: 409, so neither the
      // client nor the gateway takes it for an unhealthy instance.
      return {
        status: 409,
        body: problem(
          409,
          'CONCURRENCY_CONTENDED',
          'Too many concurrent commands on this account; retry shortly.',
        ),
        headers: { 'retry-after': '1' },
      };
    default: {
      const unhandled: never = outcome;
      throw new Error(`unhandled outcome ${JSON.stringify(unhandled)}`);
    }
  }
}
