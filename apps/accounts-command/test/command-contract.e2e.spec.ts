import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { consistencyTokens } from '@cqrs/platform';
import {
  createTestDatabase,
  startService,
  testInfra,
  uniqueTopic,
  type ServiceProcess,
  type TestDatabase,
} from '@cqrs/testing';
import { commandClient, INTERNAL_TOKEN } from './support/command-client';

/** The command half of the public contract, against the real service process. */
const infra = testInfra();
let db: TestDatabase;
let service: ServiceProcess;
let call: ReturnType<typeof commandClient>;
let sql: Client;

jest.setTimeout(60_000);

beforeAll(async () => {
  db = await createTestDatabase(infra.databaseUrl, 'command-contract');
  service = await startService('accounts-command', {
    DATABASE_URL: db.url,
    KAFKA_BROKERS: infra.kafkaBrokers.join(','),
    INTERNAL_TOKEN,
    ACCOUNTS_EVENTS_TOPIC: uniqueTopic('command-contract'),
  });
  call = commandClient(service.url);
  sql = new Client({ connectionString: db.url });
  await sql.connect();
});

afterAll(async () => {
  await sql?.end();
  await service?.stop('SIGTERM');
  await db?.drop();
});

const eventCount = async (): Promise<number> =>
  Number((await sql.query('SELECT count(*) AS n FROM events')).rows[0].n);

async function open(actor = 'alice', currency = 'EUR'): Promise<string> {
  const r = await call('/accounts', { actor, body: { currency } });
  expect(r.status).toBe(201);
  return r.body.accountId as string;
}

describe('happy path', () => {
  it('opens, deposits, withdraws and closes, with a consistency token on every success', async () => {
    const opened = await call('/accounts', { actor: 'alice', body: { currency: 'EUR' } });
    expect(opened.status).toBe(201);
    expect(opened.body).toEqual({
      accountId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      version: 1,
      consistencyToken: expect.any(String),
    });
    expect(opened.headers.get('x-consistency-token')).toBe(opened.body.consistencyToken);
    const id = opened.body.accountId as string;
    expect(consistencyTokens(INTERNAL_TOKEN).decode(opened.body.consistencyToken)).toEqual({
      streamId: id,
      version: 1,
    });

    const deposit = await call(`/accounts/${id}/deposits`, {
      actor: 'alice',
      body: { amount: 2500 },
    });
    expect(deposit).toMatchObject({ status: 200, body: { accountId: id, version: 2 } });
    expect(deposit.headers.get('x-consistency-token')).toBe(deposit.body.consistencyToken);
    expect(
      await call(`/accounts/${id}/withdrawals`, { actor: 'alice', body: { amount: 2500 } }),
    ).toMatchObject({ status: 200, body: { version: 3 } });
    expect(await call(`/accounts/${id}/close`, { actor: 'alice' })).toMatchObject({
      status: 200,
      body: { version: 4 },
    });
  });

  it('accepts close with an empty JSON object', async () => {
    const id = await open();
    expect((await call(`/accounts/${id}/close`, { actor: 'alice', body: {} })).status).toBe(200);
  });
});

describe('business rules (422) and ownership (404)', () => {
  it('never lets the balance go below zero', async () => {
    const id = await open();
    await call(`/accounts/${id}/deposits`, { actor: 'alice', body: { amount: 100 } });
    const r = await call(`/accounts/${id}/withdrawals`, { actor: 'alice', body: { amount: 101 } });
    expect(r.status).toBe(422);
    expect(r.headers.get('content-type')).toContain('application/problem+json');
    expect(r.body).toMatchObject({
      status: 422,
      code: 'ACCOUNT_INSUFFICIENT_FUNDS',
      type: expect.any(String),
      title: expect.any(String),
      detail: expect.any(String),
    });
  });

  it('closes only at zero and then accepts no command', async () => {
    const id = await open();
    await call(`/accounts/${id}/deposits`, { actor: 'alice', body: { amount: 5 } });
    expect((await call(`/accounts/${id}/close`, { actor: 'alice' })).body.code).toBe(
      'ACCOUNT_BALANCE_NOT_ZERO',
    );
    await call(`/accounts/${id}/withdrawals`, { actor: 'alice', body: { amount: 5 } });
    await call(`/accounts/${id}/close`, { actor: 'alice' });
    for (const path of ['deposits', 'withdrawals']) {
      expect(
        await call(`/accounts/${id}/${path}`, { actor: 'alice', body: { amount: 1 } }),
      ).toMatchObject({ status: 422, body: { code: 'ACCOUNT_CLOSED' } });
    }
    expect((await call(`/accounts/${id}/close`, { actor: 'alice' })).body.code).toBe(
      'ACCOUNT_CLOSED',
    );
  });

  it('answers 404 for an unknown account and for another subject’s account, even with If-Match', async () => {
    const id = await open('alice');
    const before = await eventCount();
    const unknown = await call(`/accounts/${randomUUID()}/deposits`, {
      actor: 'alice',
      body: { amount: 1 },
    });
    const foreign = await call(`/accounts/${id}/deposits`, {
      actor: 'mallory',
      body: { amount: 1 },
    });
    const foreignIfMatch = await call(`/accounts/${id}/close`, {
      actor: 'mallory',
      headers: { 'if-match': '"7"' },
    });
    for (const r of [unknown, foreign, foreignIfMatch])
      expect(r).toMatchObject({ status: 404, body: { code: 'ACCOUNT_NOT_FOUND' } });
    expect(await eventCount()).toBe(before);
  });
});

describe('optimistic concurrency', () => {
  it('applies a command with a matching If-Match and refuses a stale one with 412', async () => {
    const id = await open();
    expect(
      (
        await call(`/accounts/${id}/deposits`, {
          actor: 'alice',
          body: { amount: 10 },
          headers: { 'if-match': '"1"' },
        })
      ).status,
    ).toBe(200);
    const stale = await call(`/accounts/${id}/deposits`, {
      actor: 'alice',
      body: { amount: 10 },
      headers: { 'if-match': '"1"' },
    });
    expect(stale).toMatchObject({
      status: 412,
      body: { code: 'VERSION_CONFLICT', currentVersion: 2 },
    });
  });

  it('loses no concurrent writer without If-Match', async () => {
    const id = await open();
    const results = await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        call(`/accounts/${id}/deposits`, { actor: 'alice', body: { amount: i + 1 } }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(25).fill(200));
    expect(new Set(results.map((r) => r.body.version))).toEqual(
      new Set(Array.from({ length: 25 }, (_, i) => i + 2)),
    );
    const { rows } = await sql.query(
      "SELECT max((data->>'balanceAfter')::int) AS balance, max(stream_version) AS v FROM events WHERE stream_id = $1",
      [id],
    );
    expect(rows[0]).toEqual({ balance: (25 * 26) / 2, v: 26 });
  });
});

describe('idempotency', () => {
  it('requires an Idempotency-Key on deposits and withdrawals, and stores nothing without one', async () => {
    const id = await open();
    const before = await eventCount();
    for (const path of ['deposits', 'withdrawals']) {
      const r = await call(`/accounts/${id}/${path}`, {
        actor: 'alice',
        body: { amount: 1 },
        idempotencyKey: null,
      });
      expect(r).toMatchObject({
        status: 400,
        body: { code: 'IDEMPOTENCY_KEY_REQUIRED', errors: [{ header: 'idempotency-key' }] },
      });
    }
    expect(await eventCount()).toBe(before);
    // Opening and closing move no money and need no key.
    expect((await call(`/accounts/${id}/close`, { actor: 'alice' })).status).toBe(200);
  });

  it('stores no record for a keyed 404: the key stays free and nothing fills the table', async () => {
    const keyCount = async (key: string): Promise<number> =>
      Number(
        (await sql.query('SELECT count(*) AS n FROM idempotency_keys WHERE key = $1', [key]))
          .rows[0].n,
      );
    const id = await open('alice');
    const unknownKey = randomUUID();
    const foreignKey = randomUUID();
    const unknown = await call(`/accounts/${randomUUID()}/deposits`, {
      actor: 'alice',
      body: { amount: 1 },
      headers: { 'idempotency-key': unknownKey },
    });
    const foreign = await call(`/accounts/${id}/withdrawals`, {
      actor: 'mallory',
      body: { amount: 1 },
      headers: { 'idempotency-key': foreignKey },
    });
    for (const r of [unknown, foreign]) expect(r.status).toBe(404);
    expect([await keyCount(unknownKey), await keyCount(foreignKey)]).toEqual([0, 0]);
    // A stored outcome is still stored: the same test with a real deposit keeps its record.
    const kept = randomUUID();
    await call(`/accounts/${id}/deposits`, {
      actor: 'alice',
      body: { amount: 1 },
      headers: { 'idempotency-key': kept },
    });
    expect(await keyCount(kept)).toBe(1);
  });

  it('returns the first outcome for a repeated key and appends nothing', async () => {
    const id = await open();
    const key = randomUUID();
    const first = await call(`/accounts/${id}/deposits`, {
      actor: 'alice',
      body: { amount: 40 },
      headers: { 'idempotency-key': key },
    });
    const before = await eventCount();
    const again = await Promise.all(
      [1, 2, 3].map(() =>
        call(`/accounts/${id}/deposits`, {
          actor: 'alice',
          body: { amount: 40 },
          headers: { 'idempotency-key': key },
        }),
      ),
    );
    for (const r of again)
      expect({ status: r.status, body: r.body }).toEqual({
        status: first.status,
        body: first.body,
      });
    expect(await eventCount()).toBe(before);
  });

  it('replays a rejection too, and refuses the key with another body', async () => {
    const id = await open();
    const key = randomUUID();
    const first = await call(`/accounts/${id}/withdrawals`, {
      actor: 'alice',
      body: { amount: 5 },
      headers: { 'idempotency-key': key },
    });
    expect(first.body.code).toBe('ACCOUNT_INSUFFICIENT_FUNDS');
    await call(`/accounts/${id}/deposits`, { actor: 'alice', body: { amount: 50 } });
    const replay = await call(`/accounts/${id}/withdrawals`, {
      actor: 'alice',
      body: { amount: 5 },
      headers: { 'idempotency-key': key },
    });
    expect({ status: replay.status, body: replay.body }).toEqual({ status: 422, body: first.body });
    const reused = await call(`/accounts/${id}/withdrawals`, {
      actor: 'alice',
      body: { amount: 6 },
      headers: { 'idempotency-key': key },
    });
    expect(reused).toMatchObject({ status: 422, body: { code: 'IDEMPOTENCY_KEY_REUSED' } });
  });

  it('opens one account for a repeated key', async () => {
    const key = randomUUID();
    const a = await call('/accounts', {
      actor: 'alice',
      body: { currency: 'USD' },
      headers: { 'idempotency-key': key },
    });
    const b = await call('/accounts', {
      actor: 'alice',
      body: { currency: 'USD' },
      headers: { 'idempotency-key': key },
    });
    expect(b).toMatchObject({ status: 201, body: a.body });
    // Keys are per subject: bob's identical key is his own.
    const c = await call('/accounts', {
      actor: 'bob',
      body: { currency: 'USD' },
      headers: { 'idempotency-key': key },
    });
    expect(c.status).toBe(201);
    expect(c.body.accountId).not.toBe(a.body.accountId);
  });
});

describe('bad input changes nothing and is never a 5xx', () => {
  const bodies: [string, unknown][] = [
    ['zero', { amount: 0 }],
    ['negative', { amount: -5 }],
    ['fractional', { amount: 1.5 }],
    ['string', { amount: '10' }],
    ['missing', {}],
    ['too large', { amount: 1_000_000_001 }],
    ['extra field', { amount: 5, note: 'x' }],
    ['array', [5]],
    ['null', null],
  ];
  it.each(bodies)(
    'refuses a %s amount with 400 VALIDATION_FAILED and a pointer',
    async (_name, body) => {
      const id = await open();
      const before = await eventCount();
      const r = await call(`/accounts/${id}/deposits`, {
        actor: 'alice',
        rawBody: JSON.stringify(body),
      });
      expect(r).toMatchObject({
        status: 400,
        body: { code: 'VALIDATION_FAILED', errors: expect.any(Array) },
      });
      expect(await eventCount()).toBe(before);
    },
  );

  it('points at the offending field', async () => {
    const r = await call('/accounts', { actor: 'alice', body: { currency: 'eur' } });
    expect(r).toMatchObject({
      status: 400,
      body: { code: 'VALIDATION_FAILED', errors: [{ pointer: '/currency' }] },
    });
  });

  it('maps malformed ids, JSON, media types, sizes, headers and routes to their 4xx', async () => {
    const id = await open();
    const cases = [
      [
        await call('/accounts/not-a-uuid/deposits', { actor: 'alice', body: { amount: 1 } }),
        400,
        'VALIDATION_FAILED',
      ],
      [
        await call(`/accounts/${id}/deposits`, { actor: 'alice', rawBody: '{"amount": 1' }),
        400,
        'VALIDATION_FAILED',
      ],
      [
        await call(`/accounts/${id}/deposits`, {
          actor: 'alice',
          rawBody: 'amount=1',
          headers: { 'content-type': 'text/plain' },
        }),
        415,
        'UNSUPPORTED_MEDIA_TYPE',
      ],
      [
        await call(`/accounts/${id}/deposits`, {
          actor: 'alice',
          rawBody: JSON.stringify({ amount: 1, pad: 'x'.repeat(17_000) }),
        }),
        413,
        'PAYLOAD_TOO_LARGE',
      ],
      [
        await call(`/accounts/${id}/deposits`, {
          actor: 'alice',
          body: { amount: 1 },
          headers: { 'if-match': 'three' },
        }),
        400,
        'VALIDATION_FAILED',
      ],
      [
        await call(`/accounts/${id}/deposits`, {
          actor: 'alice',
          body: { amount: 1 },
          headers: { 'idempotency-key': 'x'.repeat(201) },
        }),
        400,
        'VALIDATION_FAILED',
      ],
      [
        await call(`/accounts/${id}/close`, { actor: 'alice', rawBody: 'null' }),
        400,
        'VALIDATION_FAILED',
      ],
      [await call('/nowhere', { actor: 'alice', body: {} }), 404, 'ROUTE_NOT_FOUND'],
    ] as const;
    for (const [r, status, code] of cases)
      expect({ status: r.status, code: r.body.code }).toEqual({ status, code });
  });

  it('refuses calls that do not come from the gateway', async () => {
    const noToken = await call('/accounts', {
      actor: 'alice',
      body: { currency: 'EUR' },
      internalToken: null,
    });
    const wrongToken = await call('/accounts', {
      actor: 'alice',
      body: { currency: 'EUR' },
      internalToken: 'guess-guess-guess-guess',
    });
    const noActor = await call('/accounts', { body: { currency: 'EUR' } });
    expect([noToken.status, wrongToken.status, noActor.status]).toEqual([401, 401, 401]);
  });
});
