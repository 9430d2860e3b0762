import { registeredContexts } from '../../src/contexts';
import { buildOpenApiDocument } from '../../src/openapi/openapi-document';
import { buildRouteTable } from '../../src/routes/route-table';

/**
 * The example context's public contract as the gateway documents it. How any context is
 * documented (parameters, common problems, security, drift) is tested in
 * ../openapi-document.unit.spec.ts with the fixture context.
 */
const document = buildOpenApiDocument(buildRouteTable(registeredContexts), 'test');

describe('the OpenAPI document of the accounts context', () => {
  it('lists its public paths', () => {
    expect(Object.keys(document.paths ?? {})).toEqual(
      expect.arrayContaining([
        '/accounts',
        '/accounts/{accountId}',
        '/accounts/{accountId}/close',
        '/accounts/{accountId}/deposits',
        '/accounts/{accountId}/transactions',
        '/accounts/{accountId}/withdrawals',
      ]),
    );
  });

  it('has none of its internal commands (the legs of transfers): the gateway serves no /internal path', () => {
    expect(
      Object.keys(document.paths ?? {}).filter((path) => path.startsWith('/internal')),
    ).toEqual([]);
    const ids = Object.values(document.paths ?? {}).flatMap((item) =>
      Object.values(item ?? {}).flatMap((op) =>
        typeof op === 'object' && op !== null && 'operationId' in op ? [op.operationId] : [],
      ),
    );
    expect(ids).not.toEqual(expect.arrayContaining(['debitForTransfer']));
    expect(ids).toEqual(expect.arrayContaining(['depositMoney']));
  });

  it('documents the transfer items of a history, each with its transferId', () => {
    expect(document.components?.schemas?.['Transaction']).toMatchObject({
      properties: {
        type: { enum: ['deposit', 'withdrawal', 'transfer-out', 'transfer-in', 'transfer-refund'] },
        transferId: { type: 'string', format: 'uuid' },
      },
    });
  });

  it('documents the amount body, the key of the money-moving commands and their problems', () => {
    const deposit = document.paths?.['/accounts/{accountId}/deposits']?.post;
    expect(deposit?.requestBody).toMatchObject({
      required: true,
      content: {
        'application/json': {
          schema: {
            properties: { amount: { type: 'integer', minimum: 1, maximum: 1_000_000_000 } },
            additionalProperties: false,
          },
        },
      },
    });
    // Money-moving commands require the key; opening an account does not.
    const keyOf = (op: typeof deposit) =>
      (op?.parameters ?? []).find((p) => 'name' in p && p.name === 'Idempotency-Key');
    expect(keyOf(deposit)).toMatchObject({ required: true });
    expect(keyOf(document.paths?.['/accounts/{accountId}/withdrawals']?.post)).toMatchObject({
      required: true,
    });
    expect(keyOf(document.paths?.['/accounts']?.post)).toMatchObject({ required: false });
    expect(Object.keys(deposit?.responses ?? {})).toEqual(
      expect.arrayContaining(['404', '412', '413', '415', '422']),
    );
  });
});
