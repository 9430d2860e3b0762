import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { onlyContainer, RenderedObjects } from './k8s-objects';
import { OVERLAYS, renderKustomization } from './k8s-render';
import { networkPeers, ownPolicy, selects } from './k8s-network';
import { isUpstream, serviceList } from './services/service-list';

/**
 * The rules every environment keeps, whatever an overlay patches: pods that meet the
 * "restricted" Pod Security Standard with bounded resources, disruption budgets and autoscalers
 * where the list's roles call for them, and a network where only the gateway takes traffic from
 * outside and each service reaches only what it depends on.
 */
const listed = serviceList();
const entryPoints = listed.filter((s) => s.entryPoint).map((s) => s.name);
const autoscaled = listed.filter((s) => s.role === 'gateway' || s.role === 'command');

describe.each(OVERLAYS)('overlays/%s', (overlay) => {
  const objects = new RenderedObjects(renderKustomization(`overlays/${overlay}`));
  const workloads = objects.workloads();
  const policies = objects.ofKind<INetworkPolicy>('NetworkPolicy');

  it('runs every pod as a non-root user with no privileges and a read-only root', () => {
    expect(workloads.length).toBeGreaterThanOrEqual(listed.length);
    for (const { kind, name, template } of workloads) {
      const pod = template.spec!;
      const container = onlyContainer(template);
      expect({
        workload: `${kind}/${name}`,
        serviceAccountToken: pod.automountServiceAccountToken,
        pod: pod.securityContext,
        container: container.securityContext,
      }).toEqual({
        workload: `${kind}/${name}`,
        serviceAccountToken: false,
        pod: expect.objectContaining({
          runAsNonRoot: true,
          runAsUser: 1000,
          seccompProfile: { type: 'RuntimeDefault' },
        }),
        container: {
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          capabilities: { drop: ['ALL'] },
        },
      });
      // A read-only root: /tmp is the one writable place, in memory-bounded emptyDir.
      const tmp = container.volumeMounts?.find((m) => m.mountPath === '/tmp');
      const volume = pod.volumes?.find((v) => v.name === tmp?.name);
      expect({ workload: name, tmp: volume?.emptyDir?.sizeLimit }).toEqual({
        workload: name,
        tmp: expect.any(String),
      });
    }
  });

  it('gives every container CPU and memory requests and limits', () => {
    for (const { name, template } of workloads) {
      const { requests, limits } = onlyContainer(template).resources ?? {};
      expect({
        name,
        requests: Object.keys(requests ?? {}).sort(),
        limits: Object.keys(limits ?? {}).sort(),
      }).toEqual({
        name,
        requests: ['cpu', 'memory'],
        limits: ['cpu', 'memory'],
      });
    }
  });

  it('gives every service a disruption budget, and the gateway and command services an autoscaler', () => {
    const budgets = objects.ofKind<IPodDisruptionBudget>('PodDisruptionBudget');
    const autoscalers = objects.ofKind<IHorizontalPodAutoscaler>('HorizontalPodAutoscaler');
    for (const service of listed) {
      const deployment = objects.deployment(service.name)!;
      const labels = deployment.spec!.template.metadata?.labels ?? {};
      expect({
        name: service.name,
        budgets: budgets.filter((b) => selects(b.spec?.selector, labels)).length,
      }).toEqual({
        name: service.name,
        budgets: 1,
      });
      const scalers = autoscalers.filter((a) => a.spec?.scaleTargetRef.name === service.name);
      const scaled = autoscaled.includes(service);
      expect({ name: service.name, autoscalers: scalers.length }).toEqual({
        name: service.name,
        autoscalers: scaled ? 1 : 0,
      });
      if (!scaled) continue;
      // An autoscaled Deployment has no replicas of its own: an apply would reset the count.
      expect(deployment.spec?.replicas).toBeUndefined();
      const { minReplicas = 1, maxReplicas } = scalers[0]!.spec!;
      expect(minReplicas).toBeLessThanOrEqual(maxReplicas);
    }
  });

  it('denies all traffic by default, and gives every pod a policy of its own', () => {
    const denyAll = policies.filter((p) => Object.keys(p.spec?.podSelector ?? {}).length === 0);
    expect(denyAll.map((p) => [p.spec?.policyTypes, p.spec?.ingress, p.spec?.egress])).toEqual([
      [['Ingress', 'Egress'], undefined, undefined],
    ]);
    for (const { name, template } of workloads) {
      const own = policies.filter(
        (p) =>
          !denyAll.includes(p) && selects(p.spec?.podSelector, template.metadata?.labels ?? {}),
      );
      expect(ownPolicy(policies, template.metadata?.labels ?? {})).toBe(own[0]);
      expect({ name, policies: own.length }).toEqual({ name, policies: 1 });
    }
  });

  it('lets only the gateway take traffic from outside, the others only from the gateway and the services that list them as upstreams', () => {
    for (const service of listed) {
      const labels = objects.deployment(service.name)!.spec!.template.metadata?.labels ?? {};
      const from = (ownPolicy(policies, labels)?.spec?.ingress ?? []).map((rule) =>
        networkPeers(rule.from, rule.ports),
      );
      // A service that calls another (an owner lookup, a process's commands) lists it as upstream.
      const callers = listed.filter(
        (s) =>
          !entryPoints.includes(s.name) &&
          Object.values(s.upstreams ?? {}).some((target) => isUpstream(service, target)),
      );
      const expected = entryPoints.includes(service.name)
        ? [['anywhere:http']]
        : [
            entryPoints.map((name) => `pods:${name}:http`),
            ...callers.map((caller) => [`pods:${caller.name}:http`]),
          ];
      expect({ name: service.name, from }).toEqual({ name: service.name, from: expected });
    }
  });

  it('lets each service reach only its database, Kafka, its upstreams and DNS', () => {
    for (const service of listed) {
      const labels = objects.deployment(service.name)!.spec!.template.metadata?.labels ?? {};
      const to = (ownPolicy(policies, labels)?.spec?.egress ?? [])
        .flatMap((rule) => networkPeers(rule.to, rule.ports))
        .sort();
      const upstreams = listed.filter((s) =>
        Object.values(service.upstreams ?? {}).some((target) => isUpstream(s, target)),
      );
      const expected = [
        ...(service.database ? ['pods:postgres:5432'] : []),
        ...(service.requiredEnv.includes('KAFKA_BROKERS') ? ['pods:kafka:9092'] : []),
        ...upstreams.map((s) => `pods:${s.name}:http`),
        'dns:53',
        'dns:53/UDP',
      ].sort();
      expect({ name: service.name, to }).toEqual({ name: service.name, to: expected });
    }
  });
});
