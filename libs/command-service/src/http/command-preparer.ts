import type { Problem } from '@cqrs/platform';

/**
 * What a service may do to a command after its request is validated and before the decider
 * runs: attach facts the decider needs from elsewhere (another context's exact answer, say),
 * so the decider stays pure. A refusal answers the request with its problem and decides nothing.
 */
export type CommandPreparer<Command> = (
  command: Command,
  input: { readonly actorId: string },
) => Promise<PreparedCommand<Command>>;

export type PreparedCommand<Command> =
  | { readonly ok: true; readonly command: Command }
  | {
      readonly ok: false;
      readonly problem: Problem;
      readonly headers?: Readonly<Record<string, string>>;
    };
