import type { CommandSuccess } from '@cqrs/context';

export interface ShapedSuccess {
  readonly status: number;
  readonly body: unknown;
  readonly headers: Readonly<Record<string, string>>;
}

const NONE: Readonly<Record<string, string>> = Object.freeze({});

/**
 * The accepted answer as the command's descriptor states it (202, fixed fields, Location),
 * from the generic answer the handler computed and stored. Applied when answering, to a first
 * answer and to an idempotent replay alike, so both are the same bytes.
 */
export function shapeSuccess(
  success: CommandSuccess,
  idParam: string,
  status: number,
  body: unknown,
): ShapedSuccess {
  if (status >= 300 || (!success.status && !success.fields && !success.location))
    return { status, body, headers: NONE };
  const answer = { ...(body as Record<string, unknown>), ...success.fields };
  const id = answer[idParam];
  const headers =
    success.location && typeof id === 'string'
      ? { location: success.location.replace(`:${idParam}`, encodeURIComponent(id)) }
      : NONE;
  return { status: success.status ?? status, body: answer, headers };
}
