import SwaggerParser from '@apidevtools/swagger-parser';
import type { OpenAPI, OpenAPIV3_1 } from 'openapi-types';
import { createLogger } from '@cqrs/platform';
import { loadConfig } from '../config/gateway.config';
import { registeredContexts } from '../contexts';
import { upstreamSlots } from '../contexts/context-upstreams';
import { createGatewayApp } from '../http/create-gateway-app';
import { routeDrift } from './route-drift';

/**
 * The OpenAPI gate (CLI and tests): the document the gateway serves is valid OpenAPI (schema
 * and $refs, by swagger-parser) and lists exactly the operations the server registers. Builds
 * the real app without listening; placeholder upstreams and secrets, nothing is contacted.
 */
export async function checkOpenApi(): Promise<{
  problems: string[];
  document: OpenAPIV3_1.Document;
}> {
  const gateway = await createGatewayApp(
    loadConfig({
      ...Object.fromEntries(
        upstreamSlots(registeredContexts).map(({ env }) => [env, 'http://127.0.0.1:9']),
      ),
      INTERNAL_TOKEN: 'openapi-check-placeholder',
      AUTH_JWT_SECRET: 'openapi-check-placeholder-secret-0123456789',
    }),
    createLogger({ service: 'gateway-openapi-check', level: 'silent' }),
  );
  try {
    const problems: string[] = [];
    // swagger-parser dereferences in place: give it a copy.
    const copy = structuredClone(gateway.document) as OpenAPI.Document;
    try {
      await SwaggerParser.validate(copy);
    } catch (error) {
      problems.push(`invalid OpenAPI: ${error instanceof Error ? error.message : String(error)}`);
    }
    const drift = routeDrift(gateway.document, gateway.routes);
    for (const op of drift.undocumented) problems.push(`served but not documented: ${op}`);
    for (const op of drift.notServed) problems.push(`documented but not served: ${op}`);
    return { problems, document: gateway.document };
  } finally {
    await gateway.app.close();
    await gateway.closeUpstreams();
  }
}
