import { INTERNAL_PATH_PREFIX } from '@cqrs/context';
import { SYSTEM_TOKEN_HEADER } from '@cqrs/platform';

/** The source account's facts a transfer request is judged on. */
export interface AccountOwner {
  readonly ownerId: string;
  readonly currency: string;
}

export type OwnerLookup =
  | { readonly kind: 'found'; readonly account: AccountOwner }
  | { readonly kind: 'missing' }
  | { readonly kind: 'unavailable'; readonly reason: string };

/**
 * Asks the accounts command service who owns an account, from its event store (exact: an
 * account opened a moment ago is found). Owner and currency never change once an account is
 * open, so a found answer is remembered (bounded, oldest out first); a missing one is not,
 * because the account may be opened next.
 */
export class AccountOwnerClient {
  private readonly cache = new Map<string, AccountOwner>();
  private turn = 0;

  constructor(
    private readonly options: {
      /** The accounts command service: one URL, or its instances' (tried in turn). */
      readonly baseUrls: readonly string[];
      readonly systemToken: string;
      readonly timeoutMs: number;
      readonly cacheSize: number;
    },
  ) {}

  async lookup(accountId: string): Promise<OwnerLookup> {
    const cached = this.cache.get(accountId);
    if (cached) return { kind: 'found', account: cached };
    // Instances in turn; one that cannot answer hands over to the next, once each.
    const { baseUrls } = this.options;
    let answer: OwnerLookup = { kind: 'unavailable', reason: 'no accounts URL' };
    for (let i = 0; i < baseUrls.length; i++) {
      const base = baseUrls[this.turn++ % baseUrls.length]!;
      answer = await this.ask(base, accountId);
      if (answer.kind !== 'unavailable') return answer;
    }
    return answer;
  }

  private async ask(baseUrl: string, accountId: string): Promise<OwnerLookup> {
    const url = new URL(
      `${INTERNAL_PATH_PREFIX}accounts/${encodeURIComponent(accountId)}/owner`,
      baseUrl,
    );
    let response: Response;
    try {
      response = await fetch(url, {
        headers: { [SYSTEM_TOKEN_HEADER]: this.options.systemToken },
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
    } catch (error) {
      return {
        kind: 'unavailable',
        reason: error instanceof Error ? error.message : String(error),
      };
    }
    if (response.status === 404) return { kind: 'missing' };
    if (!response.ok)
      return { kind: 'unavailable', reason: `accounts answered ${response.status}` };
    const body = (await response.json()) as { ownerId?: unknown; currency?: unknown };
    if (typeof body.ownerId !== 'string' || typeof body.currency !== 'string')
      return { kind: 'unavailable', reason: 'accounts answered an unexpected owner body' };
    const account = { ownerId: body.ownerId, currency: body.currency };
    this.remember(accountId, account);
    return { kind: 'found', account };
  }

  private remember(accountId: string, account: AccountOwner): void {
    if (this.cache.size >= this.options.cacheSize) {
      const oldest = this.cache.keys().next();
      if (!oldest.done) this.cache.delete(oldest.value);
    }
    this.cache.set(accountId, account);
  }
}
