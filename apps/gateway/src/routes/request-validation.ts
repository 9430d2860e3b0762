import type { FastifyRequest } from 'fastify';
import type { z } from 'zod';
import {
  bodyIssues,
  CommandHeadersSchema,
  CONTRACT_HEADERS,
  idempotencyKeyRequired,
  issuesAt,
  QueryHeadersSchema,
  validationProblem,
  type IssueLocation,
  type Problem,
  type ValidationIssue,
} from '@cqrs/platform';
import type { GatewayRoute } from './route-table';

export type Checked =
  { ok: true; path: string; body: string | undefined } | { ok: false; problem: Problem };

/**
 * Validates a request against its route (path ids, query, contract headers, body) with the
 * contract's zod schemas, so bad input is a 400 here and never reaches a service. Returns the
 * upstream path, rebuilt from the validated parts only (nothing unknown is smuggled along),
 * and the body to send.
 */
export function checkRequest(route: GatewayRoute, request: FastifyRequest): Checked {
  const errors: ValidationIssue[] = [];
  const collect = (where: IssueLocation, error: z.ZodError) =>
    errors.push(...issuesAt(where, error));

  let path = route.path;
  if (route.params) {
    const params = route.params.safeParse(request.params);
    if (params.success) path = fillPath(route.path, params.data);
    else collect('parameter', params.error);
  }
  let search = '';
  if (route.query) {
    const query = route.query.safeParse(request.query);
    if (query.success) {
      const defined = Object.entries(query.data).filter(
        (entry): entry is [string, string] => entry[1] !== undefined,
      );
      search = defined.length === 0 ? '' : `?${new URLSearchParams(defined).toString()}`;
    } else collect('query', query.error);
  }
  const headerSchema = route.side === 'command' ? CommandHeadersSchema : QueryHeadersSchema;
  const headers = headerSchema.safeParse(request.headers);
  if (!headers.success) collect('header', headers.error);
  const keyMissing =
    route.requiresIdempotencyKey === true && !request.headers[CONTRACT_HEADERS.idempotencyKey];

  let body: string | undefined;
  if (route.body) {
    const given: unknown = request.body === undefined && route.bodyOptional ? {} : request.body; // only an absent body, not `null`, means {}
    const parsed = route.body.safeParse(given);
    if (parsed.success)
      body = request.body === undefined ? undefined : JSON.stringify(request.body);
    else errors.push(...bodyIssues(parsed.error));
  } else if (request.body !== undefined) {
    errors.push({ pointer: '', message: 'this route takes no body' });
  }

  if (keyMissing && errors.length === 0) return { ok: false, problem: idempotencyKeyRequired() };
  if (keyMissing) {
    errors.push({ header: CONTRACT_HEADERS.idempotencyKey, message: 'required on this route' });
  }
  if (errors.length > 0) return { ok: false, problem: validationProblem(errors) };
  return { ok: true, path: `${path}${search}`, body };
}

/** `/<context>/:<idParam>/<action>` with the validated (canonical) values, each one path segment. */
function fillPath(template: string, values: Readonly<Record<string, unknown>>): string {
  return template.replace(/:(\w+)/g, (_match, name: string) =>
    encodeURIComponent(String(values[name])),
  );
}
