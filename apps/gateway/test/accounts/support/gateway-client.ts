import type * as Jose from 'jose';
import { nodeRequire } from '../../support/esm-in-jest';
import { moneyKey } from './money-key';

const { SignJWT } = nodeRequire<typeof Jose>('jose');

/** Tests sign their own tokens with the gateway's test secret. */
export const TEST_JWT_SECRET = 'e2e-gateway-secret-of-at-least-32-chars';
export const TEST_AUDIENCE = 'ledger-e2e';
export const INTERNAL_TOKEN = 'e2e-internal-token-0123456789';

export async function mintToken(
  sub: string,
  options: { ttl?: string; aud?: string; secret?: string; alg?: 'HS256' | 'HS512' } = {},
): Promise<string> {
  return new SignJWT({})
    .setProtectedHeader({ alg: options.alg ?? 'HS256', typ: 'JWT' })
    .setSubject(sub)
    .setIssuedAt()
    .setExpirationTime(options.ttl ?? '5m')
    .setAudience(options.aud ?? TEST_AUDIENCE)
    .sign(new TextEncoder().encode(options.secret ?? TEST_JWT_SECRET));
}

export interface Reply {
  status: number;
  headers: Headers;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- tests assert on shapes
}

const hasHeader = (headers: Record<string, string>, name: string): boolean =>
  Object.keys(headers).some((h) => h.toLowerCase() === name);

/** A client of the gateway as a browser or SDK would call it. */
export function gatewayClient(baseUrl: string) {
  return async function call(
    method: 'GET' | 'POST',
    path: string,
    options: {
      token?: string;
      body?: unknown;
      rawBody?: string;
      headers?: Record<string, string>;
      /** Money-moving commands get a fresh Idempotency-Key unless one is given; null sends none. */
      idempotencyKey?: string | null;
    } = {},
  ): Promise<Reply> {
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    const key =
      options.idempotencyKey === undefined ? moneyKey(method, path) : options.idempotencyKey;
    if (key !== null && !hasHeader(headers, 'idempotency-key')) headers['idempotency-key'] = key;
    if (options.token !== undefined) headers['authorization'] = `Bearer ${options.token}`;
    const body =
      options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
    if (body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type'))
      headers['content-type'] = 'application/json';
    const response = await fetch(`${baseUrl}${path}`, { method, headers, body });
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
