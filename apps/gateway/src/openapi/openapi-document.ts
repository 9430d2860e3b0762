import type { OpenAPIV3_1 } from 'openapi-types';
import { z } from 'zod';
import { CommandHeadersSchema, QueryHeadersSchema } from '@cqrs/platform';
import type { AnyContext } from '@cqrs/context';
import { commandAcceptedSchema, ProblemSchema } from '../contract/api.schemas';
import {
  commandAnswerName,
  commandFieldsAnswerName,
  type GatewayRoute,
} from '../routes/route-table';

type Schema = OpenAPIV3_1.SchemaObject;
type Operation = OpenAPIV3_1.OperationObject;
/** openapi-types types parameter schemas with the 3.0 flavour; ours are 3.1 (JSON Schema). */
type ParameterSchema = NonNullable<OpenAPIV3_1.ParameterObject['schema']>;

/** JSON Schema 2020-12 (OpenAPI 3.1's own dialect) without the standalone-document keys. */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output' = 'input'): Schema {
  const {
    $schema: _s,
    $id: _i,
    ...rest
  } = z.toJSONSchema(schema, { io }) as Record<string, unknown>;
  return rest;
}

const ref = (id: string): OpenAPIV3_1.ReferenceObject => ({ $ref: `#/components/schemas/${id}` });
const problemContent = { 'application/problem+json': { schema: ref('Problem') } };

/** Header schemas come from the same zod objects that validate requests. */
function headerParameter(
  schemas: z.ZodObject,
  key: string,
  name: string,
  required = false,
): OpenAPIV3_1.ParameterObject {
  const all = jsonSchema(schemas) as {
    properties: Record<string, Schema & { description?: string }>;
  };
  const { description, ...schema } = all.properties[key] ?? {};
  return { name, in: 'header', required, description, schema: schema as ParameterSchema };
}

const PROBLEM_TEXT: Record<number, string> = {
  400: 'Invalid input (VALIDATION_FAILED, with a pointer per error; IDEMPOTENCY_KEY_REQUIRED on commands that require the header).',
  401: 'Missing, invalid or expired token (AUTH_REQUIRED, AUTH_INVALID_TOKEN, AUTH_INVALID_SUBJECT).',
  409: 'Too many concurrent commands on the same aggregate (CONCURRENCY_CONTENDED); nothing applied, retry after Retry-After seconds.',
  412: 'If-Match does not name the current version (VERSION_CONFLICT).',
  413: 'The body is larger than 16 KiB.',
  415: 'The body is not application/json.',
  422: 'A business rule refused the command.',
  429: 'Too many requests (RATE_LIMITED); see Retry-After.',
  503: 'A dependency is unavailable or the command queue is full (COMMAND_QUEUE_FULL); nothing applied, retry after Retry-After seconds.',
  504: 'The outcome of the command is unknown (COMMAND_OUTCOME_UNKNOWN): retry only with the same Idempotency-Key.',
};

/** A status's text for one context: the generic one, and the domain codes it maps to it. */
function problemText(context: AnyContext, status: number): string {
  const aggregate = context.aggregate.name;
  const text =
    status === 404
      ? `No such ${aggregate} for the caller (another subject's ${aggregate} looks the same).`
      : (PROBLEM_TEXT[status] ?? 'Problem');
  const codes = Object.entries(context.errorStatus)
    .filter(([, mapped]) => mapped === status)
    .map(([code]) => code);
  return codes.length === 0 ? text : `${text} Domain codes: ${codes.join(', ')}.`;
}
const retryAfter = {
  'Retry-After': { schema: { type: 'integer' }, description: 'Seconds.' },
} as const;

function operation(route: GatewayRoute): Operation {
  const parameters: OpenAPIV3_1.ParameterObject[] = [];
  if (route.params) {
    const params = jsonSchema(route.params) as { properties: Record<string, Schema> };
    for (const [name, schema] of Object.entries(params.properties))
      parameters.push({ name, in: 'path', required: true, schema: schema as ParameterSchema });
  }
  if (route.query) {
    const query = jsonSchema(route.query) as {
      properties: Record<string, Schema & { description?: string }>;
    };
    for (const [name, { description, ...schema }] of Object.entries(query.properties)) {
      parameters.push({
        name,
        in: 'query',
        required: false,
        description,
        schema: schema as ParameterSchema,
      });
    }
  }
  if (route.side === 'command') {
    if (route.params)
      parameters.push(headerParameter(CommandHeadersSchema, 'if-match', 'If-Match'));
    parameters.push(
      headerParameter(
        CommandHeadersSchema,
        'idempotency-key',
        'Idempotency-Key',
        route.requiresIdempotencyKey === true,
      ),
    );
  } else {
    parameters.push(
      headerParameter(QueryHeadersSchema, 'x-consistency-token', 'X-Consistency-Token'),
    );
  }

  const successHeaders: Record<string, OpenAPIV3_1.HeaderObject> =
    route.side === 'command'
      ? {
          'X-Consistency-Token': {
            schema: { type: 'string' },
            description: 'Send it back on a query to read this write.',
          },
          ETag: { schema: { type: 'string' }, description: 'The new version, for If-Match.' },
          ...(route.success.location
            ? {
                Location: {
                  schema: { type: 'string' },
                  description: 'Where the result of the command can be read.',
                },
              }
            : {}),
        }
      : {
          'X-Consistency': {
            schema: { type: 'string', enum: ['stale'] },
            description: 'Present when the read-your-writes wait bound passed first.',
          },
        };
  const responses: OpenAPIV3_1.ResponsesObject = {
    [route.success.status]: {
      description: route.success.description,
      headers: successHeaders,
      content: { 'application/json': { schema: ref(route.success.schema) } },
    },
  };
  // A command the gateway sent and then lost track of is a 504 (outcome unknown), never a 503.
  const unknownOutcome = route.side === 'command' ? [504] : [];
  const statuses = new Set([400, 401, 429, 503, ...unknownOutcome, ...route.problems]);
  for (const status of [...statuses].sort()) {
    responses[status] = {
      description: problemText(route.context, status),
      content: problemContent,
      ...(status === 401
        ? { headers: { 'WWW-Authenticate': { schema: { type: 'string' } } } }
        : status === 409 || status === 429 || status === 503
          ? { headers: retryAfter }
          : {}),
    };
  }

  return {
    operationId: route.operationId,
    summary: route.summary,
    tags: [route.context.name],
    parameters,
    ...(route.body
      ? {
          requestBody: {
            required: !route.bodyOptional,
            content: { 'application/json': { schema: jsonSchema(route.body) } },
          },
        }
      : {}),
    responses,
  };
}

/** Open operational routes: documented, unauthenticated (`security: []`). */
const OPS: Record<string, { id: string; summary: string; type: string }> = {
  '/health/live': { id: 'healthLive', summary: 'The process runs', type: 'application/json' },
  '/health/ready': {
    id: 'healthReady',
    summary: 'Each upstream has a healthy instance (per-instance state only with X-Internal-Token)',
    type: 'application/json',
  },
  '/metrics': {
    id: 'metrics',
    summary: 'Prometheus metrics (requires X-Internal-Token)',
    type: 'text/plain',
  },
  '/openapi.json': { id: 'openApiDocument', summary: 'This document', type: 'application/json' },
};

/** Every named schema of the routes' contexts, each context's command answer, and Problem. */
function components(contexts: readonly AnyContext[]): Record<string, Schema> {
  const registry = z.registry<{ id: string }>();
  const owners = new Map<string, string>();
  const add = (context: string, id: string, schema: z.ZodType) => {
    const owner = owners.get(id);
    if (owner !== undefined)
      throw new Error(`contexts "${owner}" and "${context}" both name a schema ${id}`);
    owners.set(id, context);
    registry.add(schema, { id });
  };
  for (const context of contexts) {
    add(context.name, commandAnswerName(context), commandAcceptedSchema(context));
    for (const command of context.commands) {
      const { fields } = command.success;
      if (command.access !== 'public' || !fields) continue;
      const literals = Object.fromEntries(
        Object.entries(fields).map(([name, value]) => [name, z.literal(value)]),
      );
      add(
        context.name,
        commandFieldsAnswerName(command),
        commandAcceptedSchema(context).extend(literals),
      );
    }
    for (const [id, schema] of Object.entries(context.schemas)) add(context.name, id, schema);
  }
  add('gateway', 'Problem', ProblemSchema);
  const { schemas } = z.toJSONSchema(registry, { uri: (id) => `#/components/schemas/${id}` });
  return Object.fromEntries(
    Object.entries(schemas).map(([id, s]) => {
      const { $schema: _s, $id: _i, ...rest } = s as Record<string, unknown>;
      return [id, rest];
    }),
  );
}

/**
 * The OpenAPI 3.1 document of the gateway, built from the route table (the contexts'
 * descriptors) and the zod schemas that validate the requests: it cannot describe a body,
 * parameter or header differently from what the gateway checks. One tag per context.
 * Deterministic, so it can be compared and served as is.
 */
export function buildOpenApiDocument(
  routes: readonly GatewayRoute[],
  version: string,
): OpenAPIV3_1.Document {
  const contexts = [...new Set(routes.map((route) => route.context))];
  const paths: OpenAPIV3_1.PathsObject = {};
  for (const route of routes) {
    const path = route.path.replace(/:(\w+)/g, '{$1}');
    paths[path] = { ...paths[path], [route.method.toLowerCase()]: operation(route) };
  }
  for (const [path, { id, summary, type }] of Object.entries(OPS)) {
    paths[path] = {
      get: {
        operationId: id,
        summary,
        tags: ['operations'],
        security: [],
        responses: {
          200: { description: 'OK', content: { [type]: {} } },
          ...(path === '/health/ready'
            ? { 503: { description: 'Not ready', content: { [type]: {} } } }
            : {}),
        },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'CQRS template API',
      version,
      description:
        'The public contract of the CQRS template (docs/api-contract.md), served by the gateway. Commands return a consistency token; send it back as X-Consistency-Token on a query to read your own write.',
    },
    servers: [{ url: '/' }],
    tags: [
      ...contexts.map(({ name, description }) => ({ name, description })),
      { name: 'operations', description: 'Health, metrics and this document.' },
    ],
    security: [{ bearerAuth: [] }],
    paths,
    components: {
      schemas: components(contexts),
      securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
      },
    },
  };
}
