import type { JwtVerifier, Verification } from './jwt-verifier';

/**
 * Remembers tokens that verified, so a client sending the same bearer token on every request
 * costs one signature check per token instead of one per request (the check was a visible
 * share of the gateway's CPU). An entry lives until the token's `exp` or `maxAgeMs`, whichever
 * comes first, so a key rotation or a JWKS change takes effect within `maxAgeMs`; failures are
 * never cached. A Map in insertion order gives a cheap LRU bound.
 */
export function cachedVerifier(
  verify: JwtVerifier,
  options: { maxEntries?: number; maxAgeMs?: number; now?: () => number } = {},
): JwtVerifier {
  const maxEntries = options.maxEntries ?? 10_000;
  const maxAgeMs = options.maxAgeMs ?? 60_000;
  const now = options.now ?? Date.now;
  const entries = new Map<string, { subject: string; expiresAt: number; validUntil: number }>();
  return async (token): Promise<Verification> => {
    const hit = entries.get(token);
    const at = now();
    if (hit && at < hit.validUntil)
      return { ok: true, subject: hit.subject, expiresAt: hit.expiresAt };
    if (hit) entries.delete(token);
    const result = await verify(token);
    if (result.ok) {
      entries.set(token, {
        subject: result.subject,
        expiresAt: result.expiresAt,
        validUntil: Math.min(result.expiresAt, at + maxAgeMs),
      });
      if (entries.size > maxEntries) {
        const oldest = entries.keys().next();
        if (!oldest.done) entries.delete(oldest.value);
      }
    }
    return result;
  };
}
