import type { ContextDescriptor, DomainError } from '@cqrs/context';
import type { CommandContext, CommandOutcome, StoredResponse } from '@cqrs/event-store';
import { problem, type ConsistencyTokens } from '@cqrs/platform';

export type CommandResponder<Error extends DomainError> = (
  outcome: CommandOutcome<Error>,
  context: CommandContext,
) => StoredResponse;

/**
 * The HTTP answer of every command outcome, as the contract states it. It is computed before
 * the append so a keyed command's first answer can be stored with its events and replayed
 * byte for byte. A rejection's status comes from the descriptor's errorStatus table.
 */
export function commandResponder<Error extends DomainError>(
  context: {
    readonly aggregate: Pick<ContextDescriptor['aggregate'], 'idParam' | 'name'>;
    readonly errorStatus: Readonly<Record<Error['code'], number>>;
  },
  tokens: ConsistencyTokens,
): CommandResponder<Error> {
  const { idParam, name: aggregate } = context.aggregate;
  const errorStatus: Readonly<Record<string, number>> = context.errorStatus;
  return (outcome, command) => {
    switch (outcome.kind) {
      case 'accepted':
        return {
          // Version 1 means this command started the stream: it created the aggregate.
          status: outcome.version === 1 ? 201 : 200,
          body: {
            [idParam]: command.streamId,
            version: outcome.version,
            consistencyToken: tokens.encode({
              streamId: command.streamId,
              version: outcome.version,
            }),
          },
        };
      case 'rejected': {
        // A code missing from the table fails the descriptor's type check; 422 is the guard
        // for a decider that returns a code its type does not declare.
        const status = errorStatus[outcome.error.code] ?? 422;
        return {
          status,
          body: problem(status, outcome.error.code, outcome.error.message),
        };
      }
      case 'precondition-failed':
        return {
          status: 412,
          body: problem(
            412,
            'VERSION_CONFLICT',
            `If-Match names version ${String(command.ifVersion)}, the ${aggregate} is at version ${outcome.version}.`,
            { currentVersion: outcome.version },
          ),
        };
      case 'contended':
        // A conflict of this one stream, not a failure of the service: 409, so neither the
        // client nor the gateway takes it for an unhealthy instance.
        return {
          status: 409,
          body: problem(
            409,
            'CONCURRENCY_CONTENDED',
            `Too many concurrent commands on this ${aggregate}; retry shortly.`,
          ),
          headers: { 'retry-after': '1' },
        };
      default: {
        const unhandled: never = outcome;
        throw new Error(`unhandled outcome ${JSON.stringify(unhandled)}`);
      }
    }
  };
}
