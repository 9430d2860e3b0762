import type { Provider, Type } from '@nestjs/common';
import type { Pool } from 'pg';
import type { Registry } from 'prom-client';
import type { Logger } from '@cqrs/platform';
import type { EventEnvelope } from '@cqrs/events';
import type { DecodeEvent, Projection } from '@cqrs/projections';
import type { ProjectorContextNames } from '../config/projector-service.config';

/** The query side of a context: its Nest controllers and what they inject besides QUERY_DEPS. */
export interface QuerySide {
  readonly controllers: readonly Type[];
  readonly providers?: readonly Provider[];
}

/**
 * What a context gives the projector-service factory; the rest (roles, Kafka, migrations,
 * readiness, metrics, consistency waits) is the same for every context.
 */
export interface ProjectorServiceDefinition<E extends EventEnvelope = EventEnvelope> {
  /** The descriptor (or its name): it names the service, its topic variable and defaults. */
  readonly context: ProjectorContextNames;
  /**
   * Every projection of the service, each with its read-model migrations. The first is the one
   * the query API reads and waits on: READ_MODEL_SCHEMA and KAFKA_GROUP_ID are its schema and
   * group; any other runs in `<name>_rm` under group `<KAFKA_GROUP_ID>.<name>`.
   */
  readonly projections: readonly Projection<E>[];
  /** Decodes and upcasts a Kafka message: the context's event registry. */
  readonly decode: DecodeEvent<E>;
  /** The read model's tables the query role waits for before it is ready (besides the runtime's). */
  readonly readModelTables: readonly string[];
  /** Served when ROLE is query or all. */
  readonly query?: QuerySide;
  /**
   * Work that runs where the projections run (ROLE projector or all), e.g. the step driver of a
   * process manager whose processes one of the projections starts. Built once at boot, started
   * after the projections and stopped before them.
   */
  readonly workers?: (deps: ServiceWorkerDeps) => readonly ServiceWorker[];
}

export interface ServiceWorker {
  start(): Promise<void>;
  stop(): Promise<void>;
  /**
   * A worker that tracks items by id (a process manager's processes) names them and answers
   * their status, served to operators at `GET /workers/<name>/<id>`.
   */
  readonly name?: string;
  readonly status?: (id: string) => Promise<object | undefined>;
}

export interface ServiceWorkerDeps {
  readonly pool: Pool;
  readonly registry: Registry;
  readonly log: Logger;
  /** The environment, for the worker's own settings (parsed once, here at boot). */
  readonly env: NodeJS.ProcessEnv;
  /** The schema a projection of this service keeps its tables in. */
  readonly schemaOf: (projection: string) => string;
}
