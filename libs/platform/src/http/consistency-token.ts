/**
 * The consistency token a command response carries and a query may send back
 * (X-Consistency-Token) to read its own write: which stream, up to which version. Opaque to
 * clients (base64url JSON), plain data for services. Decoding never throws.
 */
export interface ConsistencyPosition {
  streamId: string;
  version: number;
}

export function encodeConsistencyToken(position: ConsistencyPosition): string {
  return Buffer.from(JSON.stringify({ s: position.streamId, v: position.version })).toString(
    'base64url',
  );
}

export function decodeConsistencyToken(token: string): ConsistencyPosition | undefined {
  if (token.length === 0 || token.length > 512 || !/^[A-Za-z0-9_-]+$/.test(token)) return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (typeof parsed !== 'object' || parsed === null) return undefined;
    const { s, v } = parsed as { s?: unknown; v?: unknown };
    if (typeof s !== 'string' || s.length === 0 || s.length > 200) return undefined;
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 1) return undefined;
    return { streamId: s, version: v };
  } catch {
    return undefined;
  }
}
