import SwaggerParser from '@apidevtools/swagger-parser';
import type { OpenAPI } from 'openapi-types';
import { nodeRequire } from '../support/esm-in-jest';

jest.mock('jose', () => nodeRequire('jose'));
import { registeredContexts } from '../../src/contexts';
import { buildRouteTable } from '../../src/routes/route-table';
import { checkOpenApi } from '../../src/openapi/check-openapi';
import { buildOpenApiDocument } from '../../src/openapi/openapi-document';
import { routeDrift } from '../../src/openapi/route-drift';

const gatewayRoutes = buildRouteTable(registeredContexts);

describe('the OpenAPI document', () => {
  it('is valid OpenAPI 3.1 and matches the routes the gateway registers (the CI gate)', async () => {
    const { problems, document } = await checkOpenApi();
    expect(problems).toEqual([]);
    const documented = Object.keys(document.paths ?? {}).sort();
    // The public contract of the example context...
    expect(documented).toEqual(
      expect.arrayContaining([
        '/accounts',
        '/accounts/{accountId}',
        '/accounts/{accountId}/close',
        '/accounts/{accountId}/deposits',
        '/accounts/{accountId}/transactions',
        '/accounts/{accountId}/withdrawals',
      ]),
    );
    // ...and nothing but the registered contexts' routes and the ops routes.
    const routes = gatewayRoutes.map((r) => r.path.replace(/:(\w+)/g, '{$1}'));
    const ops = ['/health/live', '/health/ready', '/metrics', '/openapi.json'];
    expect(documented).toEqual([...new Set([...routes, ...ops])].sort());
  });

  it('reports drift both ways', () => {
    const document = buildOpenApiDocument(gatewayRoutes, 'test');
    const served = gatewayRoutes.map((r) => ({ method: r.method, url: r.path }));
    const ops = ['/health/live', '/health/ready', '/metrics', '/openapi.json'].map((url) => ({
      method: ['GET', 'HEAD'],
      url,
    }));
    expect(routeDrift(document, [...served, ...ops])).toEqual({ undocumented: [], notServed: [] });
    const drifted = [
      ...served.filter((r) => r.url !== '/accounts/:accountId/close'),
      ...ops,
      { method: 'DELETE', url: '/accounts/:accountId' },
      { method: 'GET', url: '/docs/static/*' },
    ];
    expect(routeDrift(document, drifted)).toEqual({
      undocumented: ['DELETE /accounts/{accountId}'],
      notServed: ['POST /accounts/{accountId}/close'],
    });
  });

  it('documents bodies, headers, problems and security from the validating schemas', async () => {
    const document = buildOpenApiDocument(gatewayRoutes, 'test');
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
    const names = (deposit?.parameters ?? []).map((p) => ('name' in p ? p.name : ''));
    expect(names).toEqual(['accountId', 'If-Match', 'Idempotency-Key']);
    // Money-moving commands require the key; opening an account does not.
    const keyOf = (op: typeof deposit) =>
      (op?.parameters ?? []).find((p) => 'name' in p && p.name === 'Idempotency-Key');
    expect(keyOf(deposit)).toMatchObject({ required: true });
    expect(keyOf(document.paths?.['/accounts/{accountId}/withdrawals']?.post)).toMatchObject({
      required: true,
    });
    expect(keyOf(document.paths?.['/accounts']?.post)).toMatchObject({ required: false });
    expect(Object.keys(deposit?.responses ?? {})).toEqual(
      expect.arrayContaining([
        '200',
        '400',
        '401',
        '404',
        '412',
        '413',
        '415',
        '422',
        '429',
        '503',
        '504',
      ]),
    );
    const get = document.paths?.['/accounts/{accountId}']?.get;
    expect((get?.parameters ?? []).map((p) => ('name' in p ? p.name : ''))).toContain(
      'X-Consistency-Token',
    );
    expect(document.security).toEqual([{ bearerAuth: [] }]);
    expect(document.paths?.['/health/ready']?.get?.security).toEqual([]);
    // Every $ref resolves (dereference throws otherwise).
    await expect(
      SwaggerParser.dereference(structuredClone(document) as OpenAPI.Document),
    ).resolves.toBeDefined();
  });
});
