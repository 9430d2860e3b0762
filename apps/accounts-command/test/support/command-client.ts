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
    } = {},
  ): Promise<Reply> {
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
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
