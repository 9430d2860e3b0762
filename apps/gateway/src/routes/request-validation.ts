import type { FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { toValidationIssues } from '@cqrs/accounts-domain';
import { problem, type Problem } from '@cqrs/platform';
import { CommandHeadersSchema, QueryHeadersSchema } from '../contract/api.schemas';
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
  const errors: object[] = [];
  const collect = (where: 'parameter' | 'query' | 'header', error: z.ZodError) => {
    for (const issue of error.issues) {
      const name = String(issue.path[0] ?? '');
      errors.push(
        issue.code === 'unrecognized_keys'
          ? { [where]: issue.keys.join(', '), message: 'unknown parameter' }
          : { [where]: name, message: issue.message },
      );
    }
  };

  let path = route.path;
  if (route.params) {
    const params = route.params.safeParse(request.params);
    if (params.success) path = path.replace(':accountId', params.data.accountId.toLowerCase());
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
  const headerSchema = route.upstream === 'command' ? CommandHeadersSchema : QueryHeadersSchema;
  const headers = headerSchema.safeParse(request.headers);
  if (!headers.success) collect('header', headers.error);
  const keyMissing = route.requiresIdempotencyKey === true && !request.headers['idempotency-key'];

  let body: string | undefined;
  if (route.body) {
    const given: unknown = request.body === undefined && route.bodyOptional ? {} : request.body; // only an absent body, not `null`, means {}
    const parsed = route.body.safeParse(given);
    if (parsed.success)
      body = request.body === undefined ? undefined : JSON.stringify(request.body);
    else errors.push(...toValidationIssues(parsed.error));
  } else if (request.body !== undefined) {
    errors.push({ pointer: '', message: 'this route takes no body' });
  }

  if (keyMissing) errors.push({ header: 'idempotency-key', message: 'required on this route' });

  if (errors.length > 0) {
    // A missing key alone gets its own code: the request is fine, the client must name it.
    const onlyKey = keyMissing && errors.length === 1;
    return {
      ok: false,
      problem: onlyKey
        ? problem(
            400,
            'IDEMPOTENCY_KEY_REQUIRED',
            'This command moves money: send an Idempotency-Key so that a retry cannot apply it twice.',
            { errors },
          )
        : problem(400, 'VALIDATION_FAILED', 'The request is invalid.', { errors }),
    };
  }
  return { ok: true, path: `${path}${search}`, body };
}
