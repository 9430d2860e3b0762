import { SYSTEM_TOKEN_HEADER } from '@cqrs/platform';
import type { StepCommand } from '../definition/process-definition';
import { classifyResponse } from './classify-response';
import type { CommandPort, SendResult } from './command-port';

export interface HttpCommandPortOptions {
  /**
   * Base URL per target name, e.g. { ledger: 'http://ledger-command:3001' }; a list of an
   * upstream's instances is taken in turn (a failed send is retried, so likely on another).
   */
  readonly baseUrls: Readonly<Record<string, string | readonly string[]>>;
  readonly systemToken: string;
  /** Per request, body included: a hung upstream costs one timeout, then a retry. */
  readonly timeoutMs: number;
}

/**
 * Sends a step's command over HTTP (Node's fetch: undici with keep-alive connections). The
 * idempotency key travels in `idempotency-key`, so a re-send after a crash or a timeout is
 * answered from the command service's idempotency record instead of deciding twice.
 */
export class HttpCommandPort implements CommandPort {
  private turn = 0;

  constructor(private readonly options: HttpCommandPortOptions) {}

  async send(step: StepCommand, idempotencyKey: string): Promise<SendResult> {
    const given = this.options.baseUrls[step.target];
    const bases = typeof given === 'string' ? [given] : (given ?? []);
    const base = bases.length > 0 ? bases[this.turn++ % bases.length] : undefined;
    // A target the config does not name is a deployment mistake: retry (and show as stuck)
    // rather than let a missing variable decide the process.
    if (base === undefined)
      return { kind: 'retry', reason: `no base URL for target ${step.target}` };
    const url = `${base.replace(/\/+$/, '')}${step.command.path}`;
    try {
      const response = await fetch(url, {
        method: step.command.method,
        headers: {
          [SYSTEM_TOKEN_HEADER]: this.options.systemToken,
          'idempotency-key': idempotencyKey,
          'content-type': 'application/json',
        },
        body: JSON.stringify(step.command.body ?? {}),
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      const text = await response.text();
      return classifyResponse(response.status, response.headers.get('content-type') ?? '', text);
    } catch (error) {
      return { kind: 'retry', reason: describeSendError(error, this.options.timeoutMs) };
    }
  }
}

function describeSendError(error: unknown, timeoutMs: number): string {
  if (error instanceof DOMException && error.name === 'TimeoutError') {
    return `timed out after ${timeoutMs} ms`;
  }
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return `${error.message}${cause}`;
  }
  return String(error);
}
