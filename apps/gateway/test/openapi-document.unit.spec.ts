import SwaggerParser from '@apidevtools/swagger-parser';
import type { OpenAPI } from 'openapi-types';
import { nodeRequire } from './support/esm-in-jest';

jest.mock('jose', () => nodeRequire('jose'));
import { registeredContexts } from '../src/contexts';
import { checkOpenApi } from '../src/openapi/check-openapi';
import { buildOpenApiDocument } from '../src/openapi/openapi-document';
import { routeDrift } from '../src/openapi/route-drift';
import { buildRouteTable, type GatewayRoute } from '../src/routes/route-table';
import { fixtureContext } from './support/fixture-context';
import { fixtureGateway } from './support/fixture-gateway';

/** The document the gateway builds from the fixture context's descriptor. */
const fixtureRoutes = buildRouteTable([fixtureContext]);
const OPS = ['/health/live', '/health/ready', '/metrics', '/openapi.json'];
const documentedPaths = (routes: readonly GatewayRoute[]) =>
  [...new Set([...routes.map((r) => r.path.replace(/:(\w+)/g, '{$1}')), ...OPS])].sort();

describe('the OpenAPI document', () => {
  it('is valid OpenAPI 3.1 and lists exactly the routes the gateway serves and the ops routes', async () => {
    const gateway = await fixtureGateway({
      INTERNAL_TOKEN: 'openapi-unit-internal-token',
      AUTH_JWT_SECRET: 'openapi-unit-secret-of-at-least-32-chars',
    });
    try {
      const { document, routes } = gateway;
      await expect(
        SwaggerParser.validate(structuredClone(document) as OpenAPI.Document),
      ).resolves.toBeDefined();
      expect(routeDrift(document, routes)).toEqual({ undocumented: [], notServed: [] });
      expect(Object.keys(document.paths ?? {}).sort()).toEqual(documentedPaths(fixtureRoutes));
    } finally {
      await gateway.app.close();
      await gateway.closeUpstreams();
    }
  });

  // The CI gate (pnpm openapi:check) checks the registered contexts, whichever they are.
  it('passes the gate for the registered contexts', async () => {
    const { problems, document } = await checkOpenApi();
    expect(problems).toEqual([]);
    expect(Object.keys(document.paths ?? {}).sort()).toEqual(
      documentedPaths(buildRouteTable(registeredContexts)),
    );
  });

  it('reports drift both ways', () => {
    const document = buildOpenApiDocument(fixtureRoutes, 'test');
    const served = fixtureRoutes.map((r) => ({ method: r.method, url: r.path }));
    const ops = OPS.map((url) => ({ method: ['GET', 'HEAD'], url }));
    expect(routeDrift(document, [...served, ...ops])).toEqual({ undocumented: [], notServed: [] });
    const drifted = [
      ...served.filter((r) => r.url !== '/parcels/:parcelId/shipments'),
      ...ops,
      { method: 'PUT', url: '/parcels/:parcelId' },
      { method: 'GET', url: '/docs/static/*' },
    ];
    expect(routeDrift(document, drifted)).toEqual({
      undocumented: ['PUT /parcels/{parcelId}'],
      notServed: ['POST /parcels/{parcelId}/shipments'],
    });
  });

  it('documents bodies, headers, problems and security from the validating schemas', async () => {
    const document = buildOpenApiDocument(fixtureRoutes, 'test');
    const ship = document.paths?.['/parcels/{parcelId}/shipments']?.post;
    expect(ship?.requestBody).toMatchObject({
      required: true,
      content: {
        'application/json': {
          schema: {
            properties: { carrier: { type: 'string', minLength: 1 } },
            additionalProperties: false,
          },
        },
      },
    });
    const names = (ship?.parameters ?? []).map((p) => ('name' in p ? p.name : ''));
    expect(names).toEqual(['parcelId', 'If-Match', 'Idempotency-Key']);
    // The key is required where the descriptor says so, optional elsewhere.
    const keyOf = (op: typeof ship) =>
      (op?.parameters ?? []).find((p) => 'name' in p && p.name === 'Idempotency-Key');
    expect(keyOf(ship)).toMatchObject({ required: true });
    expect(keyOf(document.paths?.['/parcels']?.post)).toMatchObject({ required: false });
    expect(keyOf(document.paths?.['/parcels/{parcelId}']?.delete)).toMatchObject({
      required: false,
    });
    // Every command's common problems, and the ones its descriptor declares.
    expect(Object.keys(ship?.responses ?? {})).toEqual(
      expect.arrayContaining([
        '200',
        '400',
        '401',
        '404',
        '409',
        '412',
        '413',
        '415',
        '422',
        '429',
        '503',
        '504',
      ]),
    );
    const get = document.paths?.['/parcels/{parcelId}']?.get;
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
