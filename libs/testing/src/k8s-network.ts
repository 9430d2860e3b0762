import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import type { INetworkPolicyPeer } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicyPeer';
import type { INetworkPolicyPort } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicyPort';

type LabelSelector = NonNullable<INetworkPolicy['spec']>['podSelector'];

/** Whether a label selector (matchLabels only: the manifests use no expressions) picks these labels. */
export function selects(
  selector: LabelSelector | undefined,
  labels: Record<string, string>,
): boolean {
  if (selector?.matchExpressions?.length) throw new Error('matchExpressions are not read here');
  return Object.entries(selector?.matchLabels ?? {}).every(([key, value]) => labels[key] === value);
}

/** The policy of a pod's own (not the namespace-wide default deny), if any. */
export function ownPolicy(
  policies: readonly INetworkPolicy[],
  labels: Record<string, string>,
): INetworkPolicy | undefined {
  return policies.find(
    (p) =>
      Object.keys(p.spec?.podSelector.matchLabels ?? {}).length > 0 &&
      selects(p.spec?.podSelector, labels),
  );
}

const DNS = { 'k8s-app': 'kube-dns' };

/**
 * A rule's peers and ports as short names, to compare with what a service should reach:
 * `anywhere:http`, `pods:<app.kubernetes.io/name>:<port>`, `dns:53/UDP`; anything else is named
 * in full, so it fails the comparison visibly.
 */
export function networkPeers(
  peers: readonly INetworkPolicyPeer[] | undefined,
  ports: readonly INetworkPolicyPort[] | undefined,
): string[] {
  const names = peers === undefined || peers.length === 0 ? ['anywhere'] : peers.map(peerName);
  const portNames = (ports ?? [{}]).map(
    (p) => `${p.port ?? 'any'}${p.protocol && p.protocol !== 'TCP' ? `/${p.protocol}` : ''}`,
  );
  return names.flatMap((name) => portNames.map((port) => `${name}:${port}`));
}

function peerName(peer: INetworkPolicyPeer): string {
  const pods = peer.podSelector?.matchLabels ?? {};
  const namespaces = peer.namespaceSelector?.matchLabels ?? {};
  if (
    JSON.stringify(pods) === JSON.stringify(DNS) &&
    JSON.stringify(namespaces) === JSON.stringify({ 'kubernetes.io/metadata.name': 'kube-system' })
  )
    return 'dns';
  const name = pods['app.kubernetes.io/name'];
  if (
    name &&
    Object.keys(pods).length === 1 &&
    !peer.ipBlock &&
    Object.keys(namespaces).length === 0
  )
    return `pods:${name}`;
  return JSON.stringify(peer);
}
