import { envWord, type AnyContext } from '@cqrs/context';

/** Commands go to a context's command service, queries to its read side. */
export type Side = 'command' | 'query';
export const SIDES: readonly Side[] = ['command', 'query'];

/** One upstream group: a context's command or query instances. */
export interface UpstreamSlot {
  /** `<context>-<side>`: the group's name in readiness, metrics labels, logs and 503 details. */
  readonly group: string;
  /** `<CONTEXT>_<SIDE>_UPSTREAMS`: the variable that lists its base URLs. */
  readonly env: string;
  readonly context: string;
  readonly side: Side;
}

export const upstreamGroupName = (context: string, side: Side): string => `${context}-${side}`;

/** The groups of the registered contexts, in registration order, command before query. */
export const upstreamSlots = (contexts: readonly AnyContext[]): UpstreamSlot[] =>
  contexts.flatMap(({ name }) =>
    SIDES.map((side) => ({
      group: upstreamGroupName(name, side),
      env: `${envWord(name)}_${envWord(side)}_UPSTREAMS`,
      context: name,
      side,
    })),
  );
