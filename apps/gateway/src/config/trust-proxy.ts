import { isIP } from 'node:net';
import { z } from 'zod';

/**
 * Which X-Forwarded-For entries the gateway believes, as Fastify's `trustProxy` takes it:
 * - `false` (default, also `0`): the socket's address is the client;
 * - a hop count `n`: the n-th address from the right, for a fixed chain of n proxies;
 * - a list of proxy addresses or CIDR ranges (and proxy-addr's `loopback`, `linklocal`,
 *   `uniquelocal`): hops from these are skipped, the first other address is the client.
 * "Trust everything" (`true`, `*`) is refused: any client could then choose its own address,
 * and with it its per-address rate limit.
 */
export type TrustProxy = false | number | string[];

const NAMED_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);

export const envTrustProxy = z
  .string()
  .default('false')
  .transform((raw, ctx): TrustProxy => {
    const value = raw.trim();
    if (value === '' || value === 'false' || value === '0') return false;
    if (value === 'true' || value === '*') {
      ctx.addIssue({
        code: 'custom',
        message:
          "trusting every proxy lets any client pick its address; give a hop count or the proxies' addresses/CIDR ranges",
      });
      return false;
    }
    if (/^\d+$/.test(value)) return Number(value);
    const entries = value
      .split(',')
      .map((e) => e.trim())
      .filter(Boolean);
    const bad = entries.filter((entry) => !isAddressOrRange(entry));
    if (bad.length > 0)
      ctx.addIssue({
        code: 'custom',
        message: `not an address, CIDR range or hop count: ${bad.map((b) => JSON.stringify(b)).join(', ')}`,
      });
    return entries;
  });

function isAddressOrRange(entry: string): boolean {
  if (NAMED_RANGES.has(entry)) return true;
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  if (!/^\d{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= (family === 4 ? 32 : 128);
}

/** Fastify's form of the setting (its types take no hop count, so a count becomes a function). */
export function fastifyTrustProxy(
  value: TrustProxy,
): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (typeof value !== 'number') return value;
  return (_address, hop) => hop < value;
}
