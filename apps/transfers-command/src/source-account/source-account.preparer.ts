import type { CommandPreparer } from '@cqrs/command-service';
import type { TransferCommand } from '@cqrs/transfers-domain';
import { problem } from '@cqrs/platform';
import type { AccountOwnerClient } from './account-owner.client';

/**
 * Attaches the source account to a transfer request before the decider judges it (ownership,
 * currency). The other commands (the process's verdicts) pass as they are. When the accounts
 * side cannot answer, nothing is decided: 503 with Retry-After, and the client retries with
 * the same Idempotency-Key.
 */
export function sourceAccountPreparer(
  owners: AccountOwnerClient,
): CommandPreparer<TransferCommand> {
  return async (command) => {
    if (command.type !== 'RequestTransfer') return { ok: true, command };
    const found = await owners.lookup(command.fromAccountId);
    switch (found.kind) {
      case 'found':
        return { ok: true, command: { ...command, source: found.account } };
      case 'missing':
        return { ok: true, command: { ...command, source: undefined } };
      case 'unavailable':
        return {
          ok: false,
          problem: problem(
            503,
            'DEPENDENCY_UNAVAILABLE',
            'The source account could not be checked right now; retry shortly.',
          ),
          headers: { 'retry-after': '1' },
        };
    }
  };
}
