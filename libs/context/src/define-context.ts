import { z } from 'zod';
import type { NewEvent } from '@cqrs/events';
import type {
  CommandDescriptor,
  CommandSpec,
  ContextDescriptor,
  QueryDescriptor,
} from './context-descriptor';
import { INTERNAL_PATH_PREFIX } from './context-descriptor';
import type { DomainError } from './decider';

const CONTEXT_NAME = /^[a-z][a-z0-9]{0,30}$/;
const PATH_PARAM = /:([A-Za-z][A-Za-z0-9]*)/g;

/** The parameter names of a fastify path, in order: `/a/:x/b/:y` -> [x, y]. */
export const pathParams = (path: string): string[] =>
  [...path.matchAll(PATH_PARAM)].map((m) => m[1] ?? '');

/**
 * `const command = commandsOf<MyCommand>()`, then `command({ body, toCommand, ... })`:
 * checks each command's body type against its `toCommand` at the call site, then erases it so
 * commands of different bodies sit in one list.
 */
export const commandsOf =
  <Command>() =>
  <S extends z.ZodType>(spec: CommandSpec<S, Command>): CommandSpec<z.ZodType, Command> =>
    spec;

type ContextInput<Command, State, Event extends NewEvent, Error extends DomainError> = Omit<
  ContextDescriptor<Command, State, Event, Error>,
  'commands'
> & { readonly commands: readonly CommandSpec<z.ZodType, Command>[] };

/**
 * Builds a context descriptor and checks it whole, at module load: a wrong descriptor is a
 * programming error that must stop every service that registers it, not a runtime condition.
 */
export function defineContext<Command, State, Event extends NewEvent, Error extends DomainError>(
  input: ContextInput<Command, State, Event, Error>,
): ContextDescriptor<Command, State, Event, Error> {
  const fail = (message: string): never => {
    throw new Error(`context "${input.name}": ${message}`);
  };
  if (!CONTEXT_NAME.test(input.name)) fail('name must match [a-z][a-z0-9]* (one lower-case word)');
  const { idParam, idSchema } = input.aggregate;

  const commands = input.commands.map((spec): CommandDescriptor<Command> => {
    const named = pathParams(spec.path);
    const creates = !named.includes(idParam);
    const params = spec.params ?? (creates ? undefined : z.strictObject({ [idParam]: idSchema }));
    checkParams(spec.operationId, named, params, fail);
    const access = spec.access ?? 'public';
    // The prefix is what keeps the two apart at every edge (auth hooks, gateway, docs).
    if ((access === 'internal') !== spec.path.startsWith(INTERNAL_PATH_PREFIX))
      fail(
        `${spec.operationId}: ${access} commands ${access === 'internal' ? 'must' : 'must not'} have a path under ${INTERNAL_PATH_PREFIX}`,
      );
    const { location, fields } = spec.success;
    if (location !== undefined && !pathParams(location).includes(idParam))
      fail(`${spec.operationId}: success.location must name :${idParam}`);
    const reserved = [idParam, 'version', 'consistencyToken'];
    for (const field of Object.keys(fields ?? {}))
      if (reserved.includes(field))
        fail(`${spec.operationId}: success.fields must not replace the answer's ${field}`);
    return {
      ...spec,
      access,
      creates,
      params,
      toCommand: spec.toCommand,
    };
  });
  const { summary } = input.aggregate;
  if (
    summary &&
    (!summary.path.startsWith(INTERNAL_PATH_PREFIX) || !pathParams(summary.path).includes(idParam))
  )
    fail(`aggregate.summary: path must be under ${INTERNAL_PATH_PREFIX} and name :${idParam}`);
  if (summary && pathParams(summary.path).length !== 1)
    fail('aggregate.summary: path must name no parameter but the aggregate id');
  for (const query of input.queries) {
    if (query.path.startsWith(INTERNAL_PATH_PREFIX))
      fail(
        `${query.operationId}: queries are public and must not have a path under ${INTERNAL_PATH_PREFIX}`,
      );
    checkParams(query.operationId, pathParams(query.path), query.params, fail);
    if (!(query.success.schema in input.schemas))
      fail(`${query.operationId} answers "${query.success.schema}", which is not in schemas`);
  }
  const routes: readonly (CommandDescriptor<Command> | QueryDescriptor)[] = [
    ...commands,
    ...input.queries,
  ];
  const ids = new Set<string>();
  const endpoints = new Set<string>();
  for (const route of routes) {
    if (ids.has(route.operationId)) fail(`operationId ${route.operationId} is used twice`);
    ids.add(route.operationId);
    const endpoint = `${route.method} ${route.path.replace(PATH_PARAM, ':')}`;
    if (endpoints.has(endpoint)) fail(`${route.method} ${route.path} is declared twice`);
    endpoints.add(endpoint);
  }
  return { ...input, commands };
}

function checkParams(
  operationId: string,
  named: readonly string[],
  params: z.ZodObject | undefined,
  fail: (message: string) => never,
): void {
  const declared = Object.keys(params?.shape ?? {}).sort();
  const inPath = [...named].sort();
  if (declared.join(',') !== inPath.join(','))
    fail(
      `${operationId}: path parameters [${inPath.join(', ')}] and params schema [${declared.join(', ')}] differ`,
    );
}
