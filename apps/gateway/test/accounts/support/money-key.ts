import { randomUUID } from 'node:crypto';

const MONEY_ROUTE = /^\/accounts\/[^/?]+\/(?:deposits|withdrawals)(?:\?|$)/;

/**
 * The fresh Idempotency-Key a careful client sends with every deposit and withdrawal (the API
 * requires one there); null for other routes.
 */
export const moneyKey = (method: string, path: string): string | null =>
  method === 'POST' && MONEY_ROUTE.test(path) ? randomUUID() : null;
