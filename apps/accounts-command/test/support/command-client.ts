import { randomUUID } from 'node:crypto';

const MONEY_ROUTE = /^\/accounts\/[^/?]+\/(?:deposits|withdrawals)(?:\?|$)/;

/** A tiny client for the command service as the gateway calls it (internal token + actor). */
export const INTERNAL_TOKEN = 'e2e-internal-token-0123456789';

export interface Reply {
  status: number;
  headers: Headers;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- tests assert on shapes
}

export function commandClient(baseUrl: string) {
  return async function call(
    path: string,
    options: {
      actor?: string;
      body?: unknown;
      rawBody?: string;
      headers?: Record<string, string>;
      internalToken?: string | null;
      /** Deposits and withdrawals get a fresh Idempotency-Key unless one is given; null sends none. */
      idempotencyKey?: string | null;
    } = {},
  ): Promise<Reply> {
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    const key =
      options.idempotencyKey === undefined
        ? MONEY_ROUTE.test(path)
          ? randomUUID()
          : null
        : options.idempotencyKey;
    if (key !== null && !Object.keys(headers).some((h) => h.toLowerCase() === 'idempotency-key'))
      headers['idempotency-key'] = key;
    if (options.internalToken !== null)
      headers['x-internal-token'] = options.internalToken ?? INTERNAL_TOKEN;
    if (options.actor !== undefined) headers['x-actor-id'] = options.actor;
    let body: string | undefined = options.rawBody;
    if (options.body !== undefined) body = JSON.stringify(options.body);
    if (body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type'))
      headers['content-type'] = 'application/json';
    const response = await fetch(`${baseUrl}${path}`, { method: 'POST', headers, body });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      /* keep text */
    }
    return { status: response.status, headers: response.headers, body: parsed };
  };
}
