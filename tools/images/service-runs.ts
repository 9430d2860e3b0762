import { randomBytes } from 'node:crypto';
import {
  createTestDatabase,
  deleteTopicsByPrefix,
  freePort,
  isUpstream,
  serviceEnvironment,
  serviceList,
  uniqueId,
  uniqueTopic,
  type ServiceDefinition,
  type TestDatabase,
  type UpstreamTarget,
} from '@cqrs/testing';

/** One container to start: a service of the list, the image of its app, its port and env. */
export interface ServiceRun {
  service: ServiceDefinition;
  port: number;
  env: Record<string, string>;
}

/** What the runs need from the machine: the broker and a Postgres admin login over TCP. */
export interface RunInfra {
  kafkaBrokers: string[];
  adminDatabaseUrl: string;
}

/**
 * The services of stack.services.json whose app has an image, provisioned the way the e2e
 * harness (TestStack) provisions its processes: a fresh database per database of the list, a
 * topic and a consumer group of this run's own, and a service that shares another's process
 * folded into it (the projector image serves its query role too). Secrets are random and long,
 * so the images run with their own NODE_ENV=production and its refusal of development values.
 * Upstream URLs point at the ports given out here: the containers share the host's network.
 */
export class ServiceRuns {
  readonly runs: ServiceRun[] = [];
  private readonly databases = new Map<string, TestDatabase>();
  private readonly topics = new Map<string, string>();

  private constructor(private readonly infra: RunInfra) {}

  static async provision(infra: RunInfra, apps: readonly string[]): Promise<ServiceRuns> {
    const runs = new ServiceRuns(infra);
    try {
      await runs.plan(apps);
    } catch (error) {
      await runs.release();
      throw error;
    }
    return runs;
  }

  private async plan(apps: readonly string[]): Promise<void> {
    const services = serviceList().filter((s) => apps.includes(s.app));
    const folded = new Map<string, Record<string, string>>();
    for (const s of services)
      if (s.sharesProcessWith) folded.set(s.sharesProcessWith.service, s.sharesProcessWith.env);
    const secrets = {
      INTERNAL_TOKEN: randomBytes(24).toString('hex'),
      AUTH_JWT_SECRET: randomBytes(32).toString('hex'),
      // The services that act as the system (a process manager, an owner lookup) need it.
      SYSTEM_TOKEN: randomBytes(24).toString('hex'),
    };
    for (const service of services.filter((s) => !s.sharesProcessWith)) {
      const topic = service.context && this.topicOf(service.context);
      const env = {
        ...serviceEnvironment(service, {
          kafkaBrokers: this.infra.kafkaBrokers,
          databaseUrl: service.database && (await this.databaseUrl(service.database.name)),
          secrets,
          urlsOf: (target) => this.urlsOf(target),
          topic,
        }),
        ...(topic && service.role !== 'command' ? { KAFKA_GROUP_ID: uniqueId('images') } : {}),
        ...folded.get(service.name),
        ...service.testEnv,
      };
      const port = await freePort();
      this.runs.push({ service, port, env: { ...env, [service.portEnv]: String(port) } });
    }
  }

  private topicOf(context: string): string {
    const topic = this.topics.get(context) ?? uniqueTopic(`images-${context}`);
    this.topics.set(context, topic);
    return topic;
  }

  private async databaseUrl(name: string): Promise<string> {
    const database =
      this.databases.get(name) ??
      (await createTestDatabase(this.infra.adminDatabaseUrl, `images-${name}`));
    this.databases.set(name, database);
    return database.url;
  }

  /** The planned services a variable lists; one served in another's process resolves to it. */
  private urlsOf(target: UpstreamTarget): string[] {
    const own = this.runs.filter((r) => isUpstream(r.service, target));
    const host = serviceList().find((s) => isUpstream(s, target))?.sharesProcessWith?.service;
    const runs = own.length > 0 ? own : this.runs.filter((r) => r.service.name === host);
    return runs.map((r) => `http://127.0.0.1:${r.port}`);
  }

  /** Drops the run's databases and deletes its topics (with their dead-letter topics). */
  async release(): Promise<void> {
    await Promise.all([...this.databases.values()].map((d) => d.drop().catch(() => undefined)));
    for (const topic of this.topics.values())
      await deleteTopicsByPrefix(this.infra.kafkaBrokers, topic).catch(() => undefined);
  }
}
