import { parsePreferWait, PREFER_HEADER } from '@cqrs/platform';
import { QueryError } from '@cqrs/projector-service';

/** The contract's range of `Prefer: wait` on a transfer, in seconds. */
export const PREFER_WAIT_SECONDS = { min: 1, max: 10 } as const;

/**
 * The seconds a `Prefer: wait` asks for, or undefined without one. Out of range or not a
 * number is a 400 naming the header: a client asking for 60 s should learn it gets at most 10,
 * not silently receive a pending transfer sooner than it expected.
 */
export function preferredWaitOrFail(header: string | undefined): number | undefined {
  const wait = parsePreferWait(header);
  if (wait.kind === 'absent') return undefined;
  const { min, max } = PREFER_WAIT_SECONDS;
  if (wait.kind === 'wait' && wait.seconds >= min && wait.seconds <= max) return wait.seconds;
  throw QueryError.invalid([
    {
      header: PREFER_HEADER,
      message: `wait must be a whole number of seconds from ${min} to ${max}`,
    },
  ]);
}
