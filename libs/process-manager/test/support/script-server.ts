import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The command side a test process talks to: a tiny HTTP server that records every request
 * and answers as the test's script says. It stands in for an upstream command service, not
 * for Kafka or Postgres, which the tests use for real.
 */
export interface RecordedRequest {
  method: string;
  path: string;
  idempotencyKey: string | undefined;
  systemToken: string | undefined;
  contentType: string | undefined;
  body: unknown;
  /** Date.now() when the request arrived. */
  at: number;
}

export interface ScriptedAnswer {
  status: number;
  body?: unknown;
  /** Defaults: application/json for 2xx, application/problem+json otherwise. */
  contentType?: string;
  /** Answer this much later (longer than the client's timeout: a hung upstream). */
  delayMs?: number;
}

export type Script = (
  request: RecordedRequest,
  previous: readonly RecordedRequest[],
) => ScriptedAnswer | Promise<ScriptedAnswer>;

export const ok: Script = () => ({ status: 200, body: { ok: true } });

export const problemAnswer = (status: number, code: string): ScriptedAnswer => ({
  status,
  body: { type: `https://example.test/${code}`, title: 'x', status, detail: code, code },
});

export class ScriptServer {
  readonly requests: RecordedRequest[] = [];
  script: Script = ok;
  /** Requests being answered right now, per process id (the key's part before ':'). */
  private readonly inFlight = new Map<string, number>();
  /** The most requests of one process ever answered at the same time. */
  maxInFlightPerProcess = 0;
  private server: Server | undefined;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }

  /** Forgets what was sent and answers `ok` again (between tests). */
  reset(): void {
    this.requests.length = 0;
    this.script = ok;
    this.maxInFlightPerProcess = 0;
  }

  /** The keys sent, in order. */
  keys(): string[] {
    return this.requests.map((r) => r.idempotencyKey ?? '');
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const header = (name: string): string | undefined => {
      const value = req.headers[name];
      return Array.isArray(value) ? value[0] : value;
    };
    const request: RecordedRequest = {
      method: req.method ?? '',
      path: req.url ?? '',
      idempotencyKey: header('idempotency-key'),
      systemToken: header('x-system-token'),
      contentType: header('content-type'),
      body: text.length > 0 ? (JSON.parse(text) as unknown) : undefined,
      at: Date.now(),
    };
    const previous = [...this.requests];
    this.requests.push(request);
    const processId = (request.idempotencyKey ?? '').split(':')[0] ?? '';
    const now = (this.inFlight.get(processId) ?? 0) + 1;
    this.inFlight.set(processId, now);
    this.maxInFlightPerProcess = Math.max(this.maxInFlightPerProcess, now);
    try {
      const answer = await this.script(request, previous);
      if (answer.delayMs !== undefined) await new Promise((r) => setTimeout(r, answer.delayMs));
      const success = answer.status >= 200 && answer.status < 300;
      res.writeHead(answer.status, {
        'content-type':
          answer.contentType ?? (success ? 'application/json' : 'application/problem+json'),
      });
      res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
    } catch (error) {
      res.writeHead(500).end(String(error));
    } finally {
      this.inFlight.set(processId, (this.inFlight.get(processId) ?? 1) - 1);
    }
  }
}
