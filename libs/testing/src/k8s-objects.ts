import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IJob } from 'kubernetes-models/batch/v1/Job';
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IPodTemplateSpec } from 'kubernetes-models/v1/PodTemplateSpec';
import type { ISecret } from 'kubernetes-models/v1/Secret';
import type { IService } from 'kubernetes-models/v1/Service';
import type { K8sObject } from './k8s-render';

/** A variable as a container sees it: a value, and the Secret key it comes from, if any. */
export interface EnvEntry {
  /** Undefined only for a Secret that the render does not contain (prod: created by hand). */
  value: string | undefined;
  secret?: { name: string; key: string };
}

/** A workload: a Deployment or a Job, read the same way through its pod template. */
export interface Workload {
  kind: 'Deployment' | 'Job';
  name: string;
  template: IPodTemplateSpec;
}

/**
 * Reads a rendered overlay (schema-checked first, so the models' types describe it): finds
 * objects by kind and name, and resolves containers' environments through its ConfigMaps and
 * Secrets.
 */
export class RenderedObjects {
  constructor(readonly objects: readonly K8sObject[]) {}

  ofKind<T>(kind: string): T[] {
    return this.objects.filter((o) => o.kind === kind) as unknown as T[];
  }

  named<T>(kind: string, name: string): T | undefined {
    return this.objects.find((o) => o.kind === kind && o.metadata.name === name) as T | undefined;
  }

  deployment(name: string): IDeployment | undefined {
    return this.named<IDeployment>('Deployment', name);
  }

  service(name: string): IService | undefined {
    return this.named<IService>('Service', name);
  }

  workloads(): Workload[] {
    return [
      ...this.ofKind<IDeployment>('Deployment').map((d) => ({
        kind: 'Deployment' as const,
        name: d.metadata?.name ?? '',
        template: d.spec!.template,
      })),
      ...this.ofKind<IJob>('Job').map((j) => ({
        kind: 'Job' as const,
        name: j.metadata?.name ?? '',
        template: j.spec!.template,
      })),
    ];
  }

  /** The container's variables: envFrom ConfigMaps first, then env (which wins, as in a pod). */
  environment(container: IContainer): Record<string, EnvEntry> {
    const env: Record<string, EnvEntry> = {};
    for (const source of container.envFrom ?? []) {
      const name = source.configMapRef?.name;
      if (name === undefined) throw new Error(`${container.name}: envFrom other than a ConfigMap`);
      const map = this.named<IConfigMap>('ConfigMap', name);
      if (!map) throw new Error(`${container.name}: envFrom ConfigMap ${name} is not rendered`);
      for (const [key, value] of Object.entries(map.data ?? {})) env[key] = { value };
    }
    for (const entry of container.env ?? []) {
      const from = entry.valueFrom;
      if (from?.secretKeyRef) {
        const { name, key } = from.secretKeyRef;
        env[entry.name] = {
          value: this.secretValue(name ?? '', key),
          secret: { name: name ?? '', key },
        };
      } else if (from?.configMapKeyRef) {
        const { name, key } = from.configMapKeyRef;
        env[entry.name] = { value: this.named<IConfigMap>('ConfigMap', name ?? '')?.data?.[key] };
      } else {
        env[entry.name] = { value: entry.value };
      }
    }
    return env;
  }

  private secretValue(name: string, key: string): string | undefined {
    const secret = this.named<ISecret>('Secret', name);
    const encoded = secret?.data?.[key];
    return encoded === undefined
      ? secret?.stringData?.[key]
      : Buffer.from(encoded, 'base64').toString();
  }
}

/** The one container of a pod template (every workload here runs one). */
export function onlyContainer(template: IPodTemplateSpec): IContainer {
  const containers = template.spec?.containers ?? [];
  if (containers.length !== 1)
    throw new Error(`expected one container, found ${containers.length}`);
  return containers[0]!;
}
