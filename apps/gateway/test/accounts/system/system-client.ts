import { moneyKey } from '../support/money-key';

export { untilDefinitive } from '@cqrs/testing';

/** A client of the public API through the gateway, as an application would use it. */
export interface ApiReply {
  status: number;
  headers: Headers;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- tests assert on shapes
}

export function apiClient(baseUrl: string, token: string) {
  return async function api(
    method: 'GET' | 'POST',
    path: string,
    options: { body?: unknown; headers?: Record<string, string>; timeoutMs?: number } = {},
  ): Promise<ApiReply> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${token}`,
      ...(options.headers ?? {}),
    };
    // Deposits and withdrawals require a key; a caller that did not pick one gets a fresh one.
    const key = moneyKey(method, path);
    if (key !== null && !Object.keys(headers).some((h) => h.toLowerCase() === 'idempotency-key'))
      headers['idempotency-key'] = key;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
    });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      /* not JSON */
    }
    return { status: response.status, headers: response.headers, body };
  };
}

export type Api = ReturnType<typeof apiClient>;
