import { groupOf } from "./liveState";

/*
 * The GitOps owners that apply an object again after the program took it over, read from the marks they
 * leave on it, and whether they are still at work:
 * - ArgoCD: annotation `argocd.argoproj.io/tracking-id: <app>:<group>/<kind>:<namespace>/<name>` or label
 *   `app.kubernetes.io/instance: <app>` (argoproj/argo-cd@v3.5.1 common/common.go, util/argo/resource_tracking.go
 *   BuildAppInstanceValue); it re-applies while its Application syncs automatically.
 * - Flux: labels `kustomize.toolkit.fluxcd.io/{name,namespace}` (fluxcd/kustomize-controller@v1.9.4
 *   kustomization_controller.go SetOwnerLabels) and `helm.toolkit.fluxcd.io/{name,namespace}`
 *   (fluxcd/helm-controller@v1.6.3 internal/postrender/common_renderer.go); it re-applies unless the
 *   Kustomization or HelmRelease is suspended (`spec.suspend`).
 */

type Obj = Record<string, unknown>;

export interface GitopsOwner {
  tool: "ArgoCD" | "Flux";
  /** `Application argocd/llm-gateways`, `Kustomization ai-system/agentgateway`, `HelmRelease kube-system/cilium`. */
  owner: string;
  /** The label or annotation naming it. */
  mark: string;
  /** Present and not suspended (ArgoCD: automated sync); false when deleted or suspended. */
  active: boolean;
  /** Why it is (not) active. */
  state: string;
}

const ARGO_TRACKING = "argocd.argoproj.io/tracking-id";
const ARGO_INSTANCE = "app.kubernetes.io/instance";

function metaOf(obj: Obj): {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  namespace?: string;
} {
  const meta = (obj["metadata"] ?? {}) as Obj;
  return {
    labels: (meta["labels"] ?? {}) as Record<string, string>,
    annotations: (meta["annotations"] ?? {}) as Record<string, string>,
    ...(typeof meta["namespace"] === "string" ? { namespace: meta["namespace"] } : {}),
  };
}

function findOwner(
  objects: readonly Obj[],
  group: string,
  kind: string,
  name: string,
  namespace?: string,
): Obj | undefined {
  return objects.find((o) => {
    const meta = (o["metadata"] ?? {}) as Obj;
    return (
      groupOf(o["apiVersion"]) === group &&
      o["kind"] === kind &&
      meta["name"] === name &&
      (namespace === undefined || meta["namespace"] === namespace)
    );
  });
}

function argoOwner(obj: Obj, objects: readonly Obj[], managedByArgo: boolean): GitopsOwner | undefined {
  const { labels, annotations } = metaOf(obj);
  const tracking = annotations[ARGO_TRACKING];
  // The instance label is Helm's too: it names an ArgoCD application only when ArgoCD manages the object.
  const app =
    tracking !== undefined ? tracking.split(":")[0]! : managedByArgo ? labels[ARGO_INSTANCE] : undefined;
  if (app === undefined || app === "") return undefined;
  const mark = tracking !== undefined ? `${ARGO_TRACKING}: ${tracking}` : `${ARGO_INSTANCE}: ${app}`;
  // Applications in any namespace are tracked as `<namespace>_<app>`.
  const [appNs, appName] = app.includes("_") ? app.split("_", 2) : [undefined, app];
  const application = findOwner(objects, "argoproj.io", "Application", appName!, appNs);
  if (application === undefined)
    return {
      tool: "ArgoCD",
      owner: `Application ${app}`,
      mark,
      active: false,
      state: "Application not found (deleted)",
    };
  const ns = String((application["metadata"] as Obj)["namespace"]);
  const automated = ((application["spec"] as Obj | undefined)?.["syncPolicy"] as Obj | undefined)?.[
    "automated"
  ] as Obj | undefined;
  const active = automated !== undefined && automated["enabled"] !== false;
  const selfHeal = automated?.["selfHeal"] === true ? ", selfHeal" : "";
  return {
    tool: "ArgoCD",
    owner: `Application ${ns}/${appName}`,
    mark,
    active,
    state: active ? `automated sync${selfHeal}` : "manual sync only",
  };
}

function fluxOwner(obj: Obj, objects: readonly Obj[], group: string, kind: string): GitopsOwner | undefined {
  const { labels } = metaOf(obj);
  const name = labels[`${group}/name`];
  const namespace = labels[`${group}/namespace`];
  if (name === undefined || namespace === undefined) return undefined;
  const mark = `${group}/name: ${name}, ${group}/namespace: ${namespace}`;
  const owner = findOwner(objects, group, kind, name, namespace);
  if (owner === undefined)
    return {
      tool: "Flux",
      owner: `${kind} ${namespace}/${name}`,
      mark,
      active: false,
      state: `${kind} not found (deleted)`,
    };
  const suspended = (owner["spec"] as Obj | undefined)?.["suspend"] === true;
  return {
    tool: "Flux",
    owner: `${kind} ${namespace}/${name}`,
    mark,
    active: !suspended,
    state: suspended ? "suspended" : "reconciling",
  };
}

/** Every GitOps owner marked on a live object, with its state among the live objects. */
export function gitopsOwners(obj: Obj, objects: readonly Obj[], managers: readonly string[]): GitopsOwner[] {
  return [
    argoOwner(
      obj,
      objects,
      managers.some((m) => m.startsWith("argocd")),
    ),
    fluxOwner(obj, objects, "kustomize.toolkit.fluxcd.io", "Kustomization"),
    fluxOwner(obj, objects, "helm.toolkit.fluxcd.io", "HelmRelease"),
  ].filter((o): o is GitopsOwner => o !== undefined);
}

/** How to stop an owner before the run. */
export function stopHint(owner: GitopsOwner): string {
  if (owner.tool === "ArgoCD") {
    const app = owner.owner.replace(/^Application (.*\/)?/, "");
    return `stop it first: \`argocd app set ${app} --sync-policy none\`, then \`argocd app delete ${app} --cascade=false\``;
  }
  const [kind, ref] = owner.owner.split(" ") as [string, string];
  const [ns, name] = ref.split("/") as [string, string];
  const short = kind === "Kustomization" ? "ks" : "hr";
  return `stop it first: \`flux suspend ${short} ${name} -n ${ns}\`, then delete the ${kind}`;
}
