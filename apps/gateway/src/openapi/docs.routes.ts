import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import type { OpenAPIV3_1 } from 'openapi-types';

/**
 * @fastify/swagger-ui expects @fastify/swagger, which builds a document from route schemas. Ours
 * is static and comes from the zod contract, so this stand-in registers under that plugin name
 * and only hands the UI the document (the same object /openapi.json serves).
 */
function staticSwagger(document: OpenAPIV3_1.Document) {
  const plugin = async (app: FastifyInstance): Promise<void> => {
    app.decorate('swagger', () => document);
  };
  // What fastify-plugin sets: a named plugin (the UI's dependency check) that is not encapsulated.
  Object.assign(plugin, {
    [Symbol.for('skip-override')]: true,
    [Symbol.for('fastify.display-name')]: '@fastify/swagger',
    [Symbol.for('plugin-meta')]: { name: '@fastify/swagger', fastify: '5.x' },
  });
  return plugin;
}

/** GET /openapi.json and the interactive docs at /docs (open routes, no token needed). */
export async function registerDocsRoutes(
  app: FastifyInstance,
  document: OpenAPIV3_1.Document,
): Promise<void> {
  const body = JSON.stringify(document);
  app.get('/openapi.json', async (_request, reply) =>
    reply.type('application/json; charset=utf-8').send(body),
  );
  await app.register(staticSwagger(document));
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    uiConfig: { deepLinking: true, persistAuthorization: false },
    // Our helmet CSP (see security-plugins) already fits Swagger UI; no second header.
    staticCSP: false,
  });
}
