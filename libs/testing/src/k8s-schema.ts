import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import type { K8sObject } from './k8s-render';

/**
 * Checks rendered objects against the Kubernetes OpenAPI schemas (the kubernetes-models
 * package: one validator per API type, generated from the Kubernetes OpenAPI document).
 * Only the kinds the manifests use are listed: a new kind fails until it is added here.
 */
const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  'v1/ConfigMap': ConfigMap,
  'v1/Namespace': Namespace,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'batch/v1/Job': Job,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
};

/** The type name each kind's fields are checked against (k8s-strict-fields.ts). */
export const MODEL_TYPES: Record<string, { module: string; type: string }> = Object.fromEntries(
  Object.keys(MODELS).map((key) => {
    const kind = key.split('/').pop()!;
    return [key, { module: `kubernetes-models/${key}`, type: `I${kind}` }];
  }),
);

export const modelKey = (object: Pick<K8sObject, 'apiVersion' | 'kind'>): string =>
  `${object.apiVersion}/${object.kind}`;

/** Why an object does not match its schema; empty when it does. */
export function schemaErrors(object: K8sObject): string[] {
  const Model = MODELS[modelKey(object)];
  if (!Model) return [`no schema listed for ${modelKey(object)} (k8s-schema.ts)`];
  try {
    new Model(asDecoded(object) as never).validate();
    return [];
  } catch (error) {
    return [error instanceof Error ? error.message : String(error)];
  }
}

/**
 * kustomize wraps a Secret's base64 values over several lines; the API server's decoder (Go's
 * encoding/base64) skips the line breaks, the schema's "byte" pattern does not.
 */
function asDecoded(object: K8sObject): K8sObject {
  if (object.kind !== 'Secret' || typeof object['data'] !== 'object' || object['data'] === null)
    return object;
  const data = Object.fromEntries(
    Object.entries(object['data'] as Record<string, string>).map(([k, v]) => [
      k,
      v.replace(/\n/g, ''),
    ]),
  );
  return { ...object, data };
}
