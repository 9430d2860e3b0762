import { deadLetterTopic, type EventEnvelope } from '@cqrs/events';
import type { Projection } from '@cqrs/projections';
import type { ProjectorServiceConfig } from '../config/projector-service.config';

/** One projection this process runs: its read model's schema, topic and consumer group. */
export interface ProjectionSpec<E extends EventEnvelope = EventEnvelope> {
  projection: Projection<E>;
  schema: string;
  topic: string;
  groupId: string;
  deadLetterTopic: string;
}

export type ProjectionsConfig = Pick<
  ProjectorServiceConfig,
  'READ_MODEL_SCHEMA' | 'KAFKA_GROUP_ID' | 'eventsTopic'
>;

/**
 * Every projection of the service, each under its own name, schema and group so it can be
 * added, rebuilt and replayed alone. The first keeps the configured schema and group (the
 * read model the query API serves); the others derive theirs from their names.
 */
export function projectionSpecs<E extends EventEnvelope>(
  projections: readonly Projection<E>[],
  config: ProjectionsConfig,
): ProjectionSpec<E>[] {
  return projections.map((projection, index) => {
    const groupId =
      index === 0 ? config.KAFKA_GROUP_ID : `${config.KAFKA_GROUP_ID}.${projection.name}`;
    return {
      projection,
      schema: index === 0 ? config.READ_MODEL_SCHEMA : `${projection.name}_rm`,
      topic: config.eventsTopic,
      groupId,
      deadLetterTopic: deadLetterTopic(config.eventsTopic, groupId),
    };
  });
}

/** Refused by the CLIs: a name that is not one of the service's projections, or none given. */
export class UnknownProjectionError extends Error {
  override readonly name = 'UnknownProjectionError';
  readonly code = 'UNKNOWN_PROJECTION';
}

/** The projection a CLI acts on: the one named, or the only one when there is one. */
export function selectProjection<S extends { projection: { name: string } }>(
  specs: readonly S[],
  name: string | undefined,
): S {
  const names = specs.map((s) => s.projection.name);
  if (name === undefined) {
    if (specs.length === 1 && specs[0] !== undefined) return specs[0];
    throw new UnknownProjectionError(`name a projection: ${names.join(', ')}`);
  }
  const spec = specs.find((s) => s.projection.name === name);
  if (spec === undefined) {
    throw new UnknownProjectionError(`no projection ${name}; known: ${names.join(', ')}`);
  }
  return spec;
}

/** `--projection <name>` or `--projection=<name>` on a CLI's command line. */
export function projectionArg(argv: readonly string[]): string | undefined {
  const index = argv.findIndex((a) => a === '--projection' || a.startsWith('--projection='));
  const arg = argv[index];
  if (index < 0 || arg === undefined) return undefined;
  return arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[index + 1];
}
