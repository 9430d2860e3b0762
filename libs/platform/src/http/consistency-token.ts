import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The consistency token a command response carries and a query may send back
 * (X-Consistency-Token) to read its own write: which stream, up to which version.
 *
 * Opaque to clients and signed: `<base64url JSON>.<base64url MAC>`, the MAC an HMAC-SHA256
 * (truncated to 128 bits) under a key derived from a secret the command and query services
 * share. Unsigned, a client could name any stream and learn from `X-Consistency: stale`
 * whether another owner's stream had reached a version; signed, only the tokens the command
 * service handed out are honoured. Decoding never throws.
 */
export interface ConsistencyPosition {
  streamId: string;
  version: number;
}

export interface ConsistencyTokens {
  encode(position: ConsistencyPosition): string;
  /** The position, or undefined when the token is malformed or its signature does not match. */
  decode(token: string): ConsistencyPosition | undefined;
}

const TOKEN = /^([A-Za-z0-9_-]{1,400})\.([A-Za-z0-9_-]{22})$/;
const MAC_BYTES = 16;

/**
 * The codec for one deployment's secret. The key is derived for this purpose only, so the
 * secret (the services' internal token) is never used as an HMAC key for anything else.
 */
export function consistencyTokens(secret: string): ConsistencyTokens {
  if (secret.length < 16) throw new Error('the consistency token secret is too short');
  const key = createHmac('sha256', secret).update('cqrs-template/consistency-token/v1').digest();
  const mac = (payload: string): Buffer =>
    createHmac('sha256', key).update(payload).digest().subarray(0, MAC_BYTES);
  return {
    encode(position) {
      const payload = Buffer.from(
        JSON.stringify({ s: position.streamId, v: position.version }),
      ).toString('base64url');
      return `${payload}.${mac(payload).toString('base64url')}`;
    },
    decode(token) {
      const match = TOKEN.exec(token);
      if (match === null) return undefined;
      const [, payload = '', signature = ''] = match;
      const given = Buffer.from(signature, 'base64url');
      if (given.length !== MAC_BYTES || !timingSafeEqual(given, mac(payload))) return undefined;
      return parsePayload(payload);
    },
  };
}

/**
 * Whether a string has the token's shape (what the gateway checks at the edge, without the
 * secret): a malformed header is a 400 there, a forged one a 400 at the query service.
 */
export function isConsistencyTokenShape(token: string): boolean {
  const match = TOKEN.exec(token);
  return match !== null && parsePayload(match[1] ?? '') !== undefined;
}

function parsePayload(payload: string): ConsistencyPosition | undefined {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    if (typeof parsed !== 'object' || parsed === null) return undefined;
    const { s, v } = parsed as { s?: unknown; v?: unknown };
    if (typeof s !== 'string' || s.length === 0 || s.length > 200) return undefined;
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 1) return undefined;
    return { streamId: s, version: v };
  } catch {
    return undefined;
  }
}
