import { Pool, type Dispatcher } from 'undici';
import { judgeAttempt, type AttemptOutcome } from './failure-policy';
import type { UpstreamGroup, UpstreamInstance } from './upstream-group';

export interface UpstreamRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path and query string, e.g. `/<context>?limit=5`. */
  path: string;
  headers: Record<string, string>;
  body?: string;
  /** Whether repeating it on another instance is safe (GET, or a command with an Idempotency-Key). */
  idempotent: boolean;
  /** The time budget of the whole request, retries included. */
  timeoutMs: number;
  /**
   * Lets the caller cancel the request when its client goes away (no point finishing it
   * upstream): it is handed the cancel function once, when sending starts.
   */
  onClientGone?: (cancel: () => void) => void;
}

export type UpstreamResult =
  | {
      kind: 'response';
      statusCode: number;
      headers: Dispatcher.ResponseData['headers'];
      body: Dispatcher.ResponseData['body'];
    }
  | {
      kind: 'unavailable';
      reason: 'no-instance' | 'timeout' | 'connection';
      /**
       * Whether the request may have reached the service (a timeout, a connection lost after
       * sending): then a command's outcome is unknown, and only a keyed retry is safe.
       */
      maybeSent: boolean;
      detail: string;
    };

export interface UpstreamObserver {
  observe(group: string, instance: string, outcome: string, seconds: number): void;
}

/** Connection never established: the request cannot have reached the service. */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT']);

/**
 * Sends requests to the instances of upstream groups over keep-alive pools (one per instance)
 * and applies the failure policy of failure-policy.ts (never an ejection for an answer; a
 * probe after a timeout); a request moves to another instance only when that cannot duplicate
 * an effect: always when the connection was refused (nothing was sent), after other connection
 * errors and 503s only if idempotent. A timeout is final: the caller's time budget is spent.
 */
export class UpstreamClient {
  private readonly pools = new Map<string, Pool>();

  constructor(
    private readonly options: {
      connections: number;
      observer?: UpstreamObserver;
      /** Asks for an immediate health probe of an instance a request timed out on. */
      probe?: (group: UpstreamGroup, instance: UpstreamInstance) => void;
    },
  ) {}

  async send(group: UpstreamGroup, request: UpstreamRequest): Promise<UpstreamResult> {
    // One controller and one timer per request (not per attempt): the budget covers retries,
    // and this path runs for every command, where each extra AbortController showed in profiles.
    const abort = new AbortController();
    const state = { timedOut: false, clientGone: false };
    const timer = setTimeout(() => {
      state.timedOut = true;
      abort.abort();
    }, request.timeoutMs);
    request.onClientGone?.(() => {
      state.clientGone = true;
      abort.abort();
    });
    try {
      const tried = new Set<string>();
      let last: UpstreamResult = {
        kind: 'unavailable',
        reason: 'no-instance',
        maybeSent: false,
        detail: `no healthy ${group.name} instance`,
      };
      for (let instance = group.pick(); instance; instance = group.pick(tried)) {
        tried.add(instance.url);
        const outcome = await this.attempt(group, instance, request, abort.signal, state);
        if (outcome.retry === false) return outcome.result;
        last = outcome.result;
        if (last.kind === 'response') last.body.resume(); // drain the 503 we will not pass on
        if (state.clientGone || state.timedOut) break;
      }
      // Out of instances: the last 503 passes on as it came (problem+json, Retry-After), or 503.
      return last;
    } finally {
      // The budget bounds waiting for the answer's headers; the body streams under bodyTimeout.
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.pools.values()].map((pool) => pool.close()));
  }

  private async attempt(
    group: UpstreamGroup,
    instance: UpstreamInstance,
    request: UpstreamRequest,
    signal: AbortSignal,
    state: { timedOut: boolean; clientGone: boolean },
  ): Promise<{ result: UpstreamResult; retry: boolean }> {
    const started = process.hrtime.bigint();
    const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
    instance.outstanding++;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      instance.outstanding--;
    };
    try {
      const response = await this.pool(instance.url).request({
        method: request.method,
        path: request.path,
        headers: request.headers,
        body: request.body,
        signal,
        // Our timer (in send) is the time bound. undici's own headers timer was seen to fire
        // up to ~190 ms early in the upstream-failures test, so it only backs ours up.
        headersTimeout: request.timeoutMs + 1_000,
        bodyTimeout: request.timeoutMs,
      });
      response.body.once('close', release);
      const status = response.statusCode;
      this.options.observer?.observe(
        group.name,
        instance.url,
        `${Math.floor(status / 100)}xx`,
        seconds(),
      );
      const result: UpstreamResult = {
        kind: 'response',
        statusCode: status,
        headers: response.headers,
        body: response.body,
      };
      this.judge(group, instance, { kind: 'answered', status }, `answered ${status}`);
      return { result, retry: status === 503 && request.idempotent };
    } catch (error) {
      release();
      const code = (error as { code?: unknown }).code;
      const detail = error instanceof Error ? error.message : String(error);
      if (state.timedOut || code === 'UND_ERR_HEADERS_TIMEOUT') {
        this.options.observer?.observe(group.name, instance.url, 'timeout', seconds());
        this.judge(
          group,
          instance,
          { kind: 'timeout' },
          `no answer within ${request.timeoutMs} ms`,
        );
        return {
          result: {
            kind: 'unavailable',
            reason: 'timeout',
            maybeSent: true,
            detail: `${group.name} timed out`,
          },
          retry: false,
        };
      }
      this.options.observer?.observe(group.name, instance.url, 'error', seconds());
      if (state.clientGone) {
        this.judge(group, instance, { kind: 'cancelled' }, detail);
        return {
          result: { kind: 'unavailable', reason: 'connection', maybeSent: true, detail },
          retry: false,
        };
      }
      this.judge(
        group,
        instance,
        { kind: 'connection-error', ...(typeof code === 'string' ? { code } : {}) },
        detail,
      );
      const notSent = typeof code === 'string' && NOT_SENT.has(code);
      return {
        result: { kind: 'unavailable', reason: 'connection', maybeSent: !notSent, detail },
        retry: notSent || request.idempotent,
      };
    }
  }

  private judge(
    group: UpstreamGroup,
    instance: UpstreamInstance,
    outcome: AttemptOutcome,
    detail: string,
  ): void {
    const verdict = judgeAttempt(outcome);
    if (verdict === 'eject') group.eject(instance, detail);
    else if (verdict === 'probe') this.options.probe?.(group, instance);
  }

  private pool(url: string): Pool {
    let pool = this.pools.get(url);
    if (pool === undefined) {
      pool = new Pool(url, {
        connections: this.options.connections,
        connect: { timeout: 2_000 },
        // Upstreams are fastify (72 s keep-alive); reuse sockets well within that.
        keepAliveTimeout: 30_000,
      });
      this.pools.set(url, pool);
    }
    return pool;
  }
}
