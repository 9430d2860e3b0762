import type { IJob } from 'kubernetes-models/batch/v1/Job';
import { onlyContainer, RenderedObjects } from './k8s-objects';
import { kustomizeVersion, OVERLAYS, renderKustomization } from './k8s-render';
import { schemaErrors } from './k8s-schema';
import { unknownFieldErrors } from './k8s-strict-fields';
import { composeEnvironment } from './services/compose-file';
import { isUpstream, serviceList, type ServiceDefinition } from './services/service-list';
import { KAFKA_IMAGE } from './versions';

/**
 * deploy/k8s, rendered by a real kustomize, is what the Kubernetes API would accept (schemas, no
 * unknown field) and runs what stack.services.json lists, as listed: each service on the port and
 * health path of the list (and of docker-compose.yml), with every variable its configuration
 * requires (the list's requiredEnv, which each app's service-list test holds to its config
 * schema), its own database login and migration job, and its event topic created by the topic job.
 */
const listed = serviceList();
const rendered = Object.fromEntries(
  OVERLAYS.map((overlay) => [
    overlay,
    new RenderedObjects(renderKustomization(`overlays/${overlay}`)),
  ]),
);
const byName = listed.map((service) => [service.name, service] as const);

it(`renders every overlay with kustomize (${kustomizeVersion()})`, () => {
  // At least a Deployment and a Service per listed service, with no context as with several.
  for (const overlay of OVERLAYS)
    expect(rendered[overlay]!.objects.length).toBeGreaterThan(2 * listed.length);
});

describe.each(OVERLAYS)('overlays/%s', (overlay) => {
  const objects = rendered[overlay]!;

  it('renders objects that match the Kubernetes schemas, with no unknown field', () => {
    const errors = objects.objects.flatMap((o) =>
      schemaErrors(o).map((error) => `${o.kind}/${o.metadata.name}: ${error}`),
    );
    expect(errors).toEqual([]);
    expect(unknownFieldErrors(objects.objects)).toEqual([]);
  });

  it('deploys exactly the services of the list, each with its Service', () => {
    const names = listed.map((s) => s.name).sort();
    const deployed = (kind: string) =>
      objects.objects
        .filter((o) => o.kind === kind)
        .map((o) => o.metadata.name)
        .sort();
    expect(deployed('Deployment')).toEqual(names);
    expect(deployed('Service')).toEqual(names);
  });

  it('puts every object in the namespace it creates', () => {
    const namespaces = objects.objects.filter((o) => o.kind === 'Namespace');
    expect(namespaces).toHaveLength(1);
    const namespace = namespaces[0]!.metadata.name;
    for (const o of objects.objects.filter((object) => object.kind !== 'Namespace'))
      expect({ object: `${o.kind}/${o.metadata.name}`, namespace: o.metadata.namespace }).toEqual({
        object: `${o.kind}/${o.metadata.name}`,
        namespace,
      });
  });

  describe.each(byName)('%s', (name, service) => {
    const deployment = objects.deployment(name);
    const container = () => onlyContainer(deployment!.spec!.template);
    const env = () => objects.environment(container());

    it('runs its app image on the port and health paths of the list and of compose', () => {
      expect(deployment).toBeDefined();
      expect(container().image).toMatch(new RegExp(`(^|/)${service.app}(:[\\w.-]+)?$`));
      const port = composeEnvironment(name)[service.portEnv];
      expect(env()[service.portEnv]?.value).toBe(port);
      expect(container().ports).toEqual([{ name: 'http', containerPort: Number(port) }]);
      expect(container().readinessProbe?.httpGet).toEqual({
        path: service.healthPath,
        port: 'http',
      });
      expect(container().livenessProbe?.httpGet).toEqual({ path: '/health/live', port: 'http' });
      expect(container().startupProbe?.httpGet).toEqual({ path: '/health/live', port: 'http' });
      const ports = objects.service(name)?.spec?.ports ?? [];
      expect(ports).toEqual([{ name: 'http', port: Number(port), targetPort: 'http' }]);
    });

    it('gets every variable its configuration requires, and its fixed settings', () => {
      const variables = env();
      // dev generates its Secrets, so every value is known there; prod references them by name.
      const missing = service.requiredEnv.filter((variable) => {
        const entry = variables[variable];
        return overlay === 'dev' || !entry?.secret ? !entry?.value : false;
      });
      expect({ name, missing }).toEqual({ name, missing: [] });
      for (const [variable, value] of Object.entries({
        ...service.env,
        ...(overlay === 'dev' ? service.devEnv : {}),
      }))
        expect({ name, [variable]: variables[variable]?.value }).toEqual({
          name,
          [variable]: value,
        });
    });

    it('reaches its upstreams through their Services', () => {
      for (const [variable, target] of Object.entries(service.upstreams ?? {})) {
        const expected = listed
          .filter((s) => isUpstream(s, target))
          .map((s) => `http://${s.name}:${objects.service(s.name)?.spec?.ports?.[0]?.port}`);
        expect({ [variable]: env()[variable]?.value?.split(',') }).toEqual({
          [variable]: expected,
        });
      }
    });

    it('logs in to its database with a Secret of its own, migrated by a job when it owns it', () => {
      if (!service.database) return expect(env()['DATABASE_URL']).toBeUndefined();
      const url = env()['DATABASE_URL'];
      expect(url?.secret).toEqual({ name: `${name}-db`, key: 'DATABASE_URL' });
      if (overlay === 'dev') {
        const parsed = new URL(url?.value ?? '');
        expect([parsed.username, parsed.pathname]).toEqual([
          service.database.user,
          `/${service.database.name}`,
        ]);
      }
      const migrations = migrationJobs(objects, service);
      expect(migrations).toHaveLength(service.database.readOnly ? 0 : 1);
      for (const job of migrations) {
        const variables = objects.environment(onlyContainer(job.spec!.template));
        expect(variables['DATABASE_URL']?.secret).toEqual(url?.secret);
        const missing = service.requiredEnv.filter(
          (v) => variables[v] === undefined || (!variables[v]?.value && !variables[v]?.secret),
        );
        expect({ job: job.metadata?.name, missing }).toEqual({
          job: job.metadata?.name,
          missing: [],
        });
      }
    });

    it('uses the event topic that the topic job creates, with the same Kafka settings', () => {
      if (!service.topicEnv) return;
      const job = objects.named<IJob>('Job', 'kafka-topics');
      const topics = onlyContainer(job!.spec!.template);
      expect(topics.image).toBe(KAFKA_IMAGE);
      const jobEnv = objects.environment(topics);
      for (const variable of [service.topicEnv, 'KAFKA_BROKERS'])
        expect({ [variable]: env()[variable]?.value }).toEqual({
          [variable]: jobEnv[variable]?.value,
        });
      expect(env()[service.topicEnv]?.value).toMatch(/^[a-zA-Z0-9._-]+$/);
      // The job's arguments are its topics, the variable expanded by Kubernetes; a projector's
      // dead-letter topic is <topic>.dlq.<its consumer group>, the service's name.
      const topic = `$(${service.topicEnv})`;
      expect(topics.args).toContain(topic);
      if (service.role === 'projector') expect(topics.args).toContain(`${topic}.dlq.${name}`);
    });
  });
});

/** The jobs that run `node dist/migrate.js` with the service's image and login. */
function migrationJobs(objects: RenderedObjects, service: ServiceDefinition): IJob[] {
  const image = onlyContainer(objects.deployment(service.name)!.spec!.template).image;
  return objects.ofKind<IJob>('Job').filter((job) => {
    const container = onlyContainer(job.spec!.template);
    const login = objects.environment(container)['DATABASE_URL']?.secret?.name;
    return (
      container.image === image &&
      container.command?.join(' ') === 'node dist/migrate.js' &&
      login === `${service.name}-db`
    );
  });
}
