import type { YamlDocument } from '../yaml-documents.js';
import { asObject, asText } from '../yaml-documents.js';

/**
 * A Pulumi resource type token of the Kubernetes provider: `kubernetes:<group>/<version>:<Kind>` (`kubernetes:
 * networking.k8s.io/v1:Ingress`; the core group is `core/v1`, which Kubernetes writes as `v1`). Source: the Pulumi
 * Kubernetes provider's resource docs (pulumi.com/registry/packages/kubernetes), Pulumi YAML's `resources.<name>.type`.
 */
const TOKEN = /^kubernetes:([^:]+):([A-Za-z]+)$/;

/**
 * The Kubernetes objects a Pulumi YAML program (`Pulumi.yaml` / `Main.yaml`: `resources.<name>.type` a Kubernetes
 * token, `properties` the object's `metadata` / `spec`) creates, as YAML documents for the YAML readers (ingress-nginx,
 * Istio, Gateway API): `data` is `{ apiVersion, kind, ...properties }`, `lineOf` maps a path into the object to the
 * line of `resources.<name>.properties.<path>` in the program (`apiVersion` / `kind` to its `type`). Since session 33;
 * before, such an Ingress's `auth-tls-verify-client` was named under "Not read" only.
 */
export function pulumiKubernetesDocuments(documents: readonly YamlDocument[]): YamlDocument[] {
  const out: YamlDocument[] = [];
  for (const document of documents) {
    const resources = asObject(asObject(document.data)?.resources);
    if (!resources) continue;
    for (const [name, resource] of Object.entries(resources)) {
      const token = TOKEN.exec(asText(asObject(resource)?.type) ?? '');
      const properties = asObject(asObject(resource)?.properties);
      if (!token || !properties) continue;
      const group = token[1] ?? '';
      const data = {
        apiVersion: group.startsWith('core/') ? group.slice('core/'.length) : group,
        kind: token[2],
        ...properties,
      };
      const inProgram = (path: readonly (string | number)[]): (string | number)[] =>
        path[0] === 'apiVersion' || path[0] === 'kind' || path.length === 0
          ? ['resources', name, 'type']
          : ['resources', name, 'properties', ...path];
      out.push({
        data,
        lineOf: (path) => document.lineOf(inProgram(path)),
        evidence: (path) => document.evidence(inProgram(path)),
        yaml11Number: (path) => document.yaml11Number(inProgram(path)),
        written: (path) => document.written(inProgram(path)),
      });
    }
  }
  return out;
}
