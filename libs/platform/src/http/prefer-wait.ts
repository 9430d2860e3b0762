/**
 * `Prefer: wait=<seconds>` (RFC 7240 section 4.3): how long a client is willing to wait for a
 * final answer. Read by the gateway (to give such a request a longer upstream budget) and by a
 * query that supports it (which also applies its own range), so the header is parsed one way.
 */
export const PREFER_HEADER = 'prefer';
export const PREFERENCE_APPLIED_HEADER = 'preference-applied';

export type PreferWait =
  | { readonly kind: 'absent' }
  | { readonly kind: 'wait'; readonly seconds: number }
  | { readonly kind: 'invalid'; readonly value: string };

const ABSENT: PreferWait = { kind: 'absent' };

/**
 * The `wait` preference among the header's comma-separated preferences (other preferences and
 * any `;` parameters are ignored, as the RFC allows). A `wait` whose value is not a whole number
 * of seconds (at most 6 digits, optionally quoted) is `invalid`, for the caller to refuse.
 */
export function parsePreferWait(header: string | readonly string[] | undefined): PreferWait {
  if (header === undefined) return ABSENT;
  const joined = typeof header === 'string' ? header : header.join(',');
  for (const preference of joined.split(',')) {
    const [token = ''] = preference.split(';');
    const equals = token.indexOf('=');
    const name = (equals === -1 ? token : token.slice(0, equals)).trim().toLowerCase();
    if (name !== 'wait') continue;
    const raw = equals === -1 ? '' : token.slice(equals + 1).trim();
    const value =
      raw.length >= 2 && raw.startsWith('"') && raw.endsWith('"') ? raw.slice(1, -1) : raw;
    return /^\d{1,6}$/.test(value)
      ? { kind: 'wait', seconds: Number(value) }
      : { kind: 'invalid', value: raw };
  }
  return ABSENT;
}
