import { strict as assert } from "assert";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import {
  agentModelBaseUrl,
  AutoscalingConfig,
  callGraphRules,
  gatewayEgressSpec,
  gpuSettings,
  groupSubjects,
  hpaSettings,
  limitRangeSpec,
  namespaceLabels,
  resourceQuotaHard,
  scaledObjectSpec,
  Tenant,
  tenantAdminRules,
  tenantGatewayAccess,
  vpaSpec,
  workloadEnv,
} from "../../../components/tenant";
import {
  defaultDenySpec,
  dnsEgress,
  namespacePeer,
  networkPolicySpec,
  rule,
  tcp,
} from "../../../lib/networkPolicy";
import { formatCpu, formatMemory, parseQuantity } from "../../../lib/quantity";
import { images } from "../../../lib/versions";
import { buildPodSpec } from "../../../components/workload";
import { podBaselineViolations } from "../../support/podBaseline";
import { manifestOf } from "../../../recording/manifests";
import type { RecordedResource, Recording } from "../../../recording/runtime";
import { rawConfigOf, readStackFile } from "../../../recording/stackFile";
import { loadPlatformConfig } from "../../../stacks/load";
import {
  gateway,
  gatewayConfig,
  llmBackend,
  llmConfig,
  llmRoute,
  platformConfig,
  rawConfig,
  tenant as tenantRaw,
  tenantsConfig,
  tenantWorkload,
  TenantWorkloadRaw,
} from "../../support/builders";
import { namespacesOf } from "../../../lib/layers";
import type { PlatformConfig, TenantConfig } from "../../../stacks/schema";
import { tenantsSchema } from "../../../stacks/schema";
import { validateCoreObject, validateCustomResource } from "../../../conformance";
import { describeWithSchemas } from "../../support/schemas";
import { activeSecretNames } from "../../../stacks/secretFields";
import { byType, descendantsOf, one, recordPlatform, recordProgram } from "../../support/record";
import { addressBookOf } from "../../support/stacks";

const A1_ORCHESTRATOR_SERVICES = [
  "mcp-gateway",
  "mcp-orchestrator-api",
  "mcp-policy-proxy",
  "mcp-config",
  "mcp-tracehub",
];
const HPA = {
  minReplicas: 2,
  maxReplicas: 10,
  targetCPUUtilizationPercentage: 70,
  targetMemoryUtilizationPercentage: 80,
};
/** An agent reaching its model through the AI gateway and a chain of services calling each other. */
const DEMO_WORKLOADS: TenantWorkloadRaw[] = [
  tenantWorkload("claude-assistant", {
    kind: "agent",
    image: "agentopsLlmAgent",
    model: { name: "gpt-4o-mini", route: "openai", pathPrefix: "/openai" },
    calls: ["mcp-gateway"],
    resources: { requests: { cpu: "500m", memory: "1Gi" }, limits: { cpu: "2", memory: "2Gi" } },
    autoscaling: HPA,
  }),
  tenantWorkload("mcp-gateway", {
    image: "a1McpGateway",
    calls: ["mcp-orchestrator-api", "mcp-config", "mcp-tracehub"],
    autoscaling: HPA,
  }),
  tenantWorkload("mcp-orchestrator-api", {
    image: "a1McpOrchestratorApi",
    calls: ["mcp-policy-proxy", "mcp-config", "mcp-tracehub"],
    autoscaling: HPA,
  }),
  tenantWorkload("mcp-policy-proxy", {
    image: "a1McpPolicyProxy",
    calls: ["mcp-config", "mcp-tracehub"],
    autoscaling: HPA,
  }),
  tenantWorkload("mcp-config", { image: "a1McpConfig", calls: ["mcp-tracehub"], autoscaling: HPA }),
  tenantWorkload("mcp-tracehub", { image: "a1McpTracehub", autoscaling: HPA }),
];
const demoTenant = (workloads = DEMO_WORKLOADS) =>
  tenantRaw("agents-demo", {
    adminGroups: ["agents-demo-admins"],
    costCenter: "ai-platform-demo",
    quota: { cpu: "8", memory: "16Gi", pods: 70, gpus: 0 },
    limits: {
      defaultRequest: { cpu: "100m", memory: "128Mi" },
      default: { cpu: "500m", memory: "512Mi" },
      max: { cpu: "2", memory: "4Gi" },
    },
    mcpGateways: ["mcp-gateway-proxy"],
    workloads,
  });
/** Three gateways (LLM, xAI, MCP), two LLM routes, and the demo tenant. */
const DEMO = rawConfig(
  gatewayConfig([
    gateway("agentgateway-proxy", 8080),
    gateway("xai-gateway-proxy", 8081),
    gateway("mcp-gateway-proxy", 8090),
  ]),
  llmConfig(
    [
      llmBackend("openai"),
      llmBackend("anthropic", { provider: "anthropic", model: "claude-sonnet-4-5" }),
      llmBackend("xai", { provider: "xai", model: "grok-4" }),
    ],
    [
      llmRoute("openai", { gateway: "agentgateway-proxy" }),
      llmRoute("anthropic", { gateway: "agentgateway-proxy" }),
      llmRoute("xai", { gateway: "xai-gateway-proxy" }),
    ],
  ),
  tenantsConfig([demoTenant()]),
);
const platform: PlatformConfig = platformConfig(DEMO);
const demo: TenantConfig = platform.tenants.items[0]!;
const addresses = addressBookOf(platform);
const GATEWAY_URL = "http://agentgateway-proxy.agentgateway-system.svc.cluster.local:8080/openai";

type Obj = Record<string, unknown>;
const spec = (r: RecordedResource) => r.inputs["spec"] as Obj;
const labelsOf = (r: RecordedResource) => (r.inputs["metadata"] as Obj)["labels"] as Record<string, string>;

/** A tenant built from the schema, so defaults apply exactly as in a stack file. */
function tenantOf(raw: Obj): TenantConfig {
  return tenantsSchema.parse({ enabled: true, items: [raw] }).items[0]!;
}

function recordTenant(
  t: TenantConfig,
  secrets: Record<string, pulumi.Input<string>> = {},
): Promise<Recording> {
  return recordProgram(() => {
    const provider = new k8s.Provider("k8s", { kubeconfig: "{}" });
    new Tenant(
      `tenant-${t.name}`,
      {
        tenant: t,
        addresses,
        secrets,
        metricsNamespace: platform.observability.metrics.prometheusNamespace,
        serviceMonitorLabels: { release: "kube-prometheus-stack" },
      },
      { provider },
    );
  });
}

describe("tenant: quantities", () => {
  it("parses CPU and memory quantities and formats sums", () => {
    assert.equal(parseQuantity("500m"), 0.5);
    assert.equal(parseQuantity("2"), 2);
    assert.equal(parseQuantity("1.5"), 1.5);
    assert.equal(parseQuantity("128Mi"), 128 * 2 ** 20);
    assert.equal(parseQuantity("16Gi"), 16 * 2 ** 30);
    assert.equal(parseQuantity("1G"), 1e9);
    assert.throws(() => parseQuantity("1GB"), /invalid quantity/);
    assert.equal(formatCpu(2), "2");
    assert.equal(formatCpu(1.25), "1250m");
    assert.equal(formatMemory(3.25 * 2 ** 30), "3328Mi");
    assert.equal(formatMemory(2 * 2 ** 30), "2Gi");
  });
});

describe("tenant: namespace guard rails", () => {
  it("labels the namespace restricted in every Pod Security mode, with tenant and cost center", () => {
    assert.deepEqual(namespaceLabels(demo), {
      "app.kubernetes.io/managed-by": "pulumi",
      "pod-security.kubernetes.io/enforce": "restricted",
      "pod-security.kubernetes.io/audit": "restricted",
      "pod-security.kubernetes.io/warn": "restricted",
      "ai-platform/tenant": "agents-demo",
      "ai-platform/cost-center": "ai-platform-demo",
    });
    assert.equal(namespaceLabels({ name: "x" })["ai-platform/cost-center"], undefined);
    assert.equal(
      namespaceLabels({ name: "x", costCenter: "R&D / 42" })["ai-platform/cost-center"],
      "R_D___42",
    );
  });

  it("caps requests, pods and GPUs (0 refuses GPUs), limits only when configured", () => {
    assert.deepEqual(resourceQuotaHard(demo), {
      "requests.cpu": "8",
      "requests.memory": "16Gi",
      pods: "70",
      "requests.nvidia.com/gpu": "0",
    });
    const gpuTenant = tenantOf({
      name: "gpu",
      quota: { cpu: "4", memory: "8Gi", limitsCpu: "8", limitsMemory: "16Gi", pods: 10, gpus: 2 },
      workloads: [{ name: "a", image: "agentopsLlmAgent", gpu: { count: 1, resource: "amd.com/gpu" } }],
    });
    assert.deepEqual(resourceQuotaHard(gpuTenant), {
      "requests.cpu": "4",
      "requests.memory": "8Gi",
      "limits.cpu": "8",
      "limits.memory": "16Gi",
      pods: "10",
      "requests.amd.com/gpu": "2",
      "requests.nvidia.com/gpu": "2",
    });
  });

  it("turns the config limits into one Container LimitRange item", () => {
    assert.deepEqual(limitRangeSpec(demo.limits), {
      limits: [
        {
          type: "Container",
          defaultRequest: { cpu: "100m", memory: "128Mi" },
          default: { cpu: "500m", memory: "512Mi" },
          max: { cpu: "2", memory: "4Gi" },
        },
      ],
    });
    const noMax = limitRangeSpec(tenantOf({ name: "t", quota: { cpu: "1", memory: "1Gi", pods: 1 } }).limits);
    assert.deepEqual(noMax, {
      limits: [
        {
          type: "Container",
          defaultRequest: { cpu: "100m", memory: "128Mi" },
          default: { cpu: "500m", memory: "512Mi" },
        },
      ],
    });
  });

  it("denies everything by default and allows DNS and the gateways' proxies only", () => {
    assert.deepEqual(defaultDenySpec(), { podSelector: {}, policyTypes: ["Ingress", "Egress"] });
    assert.deepEqual(networkPolicySpec({ podSelector: {}, egress: [dnsEgress()] }), {
      podSelector: {},
      policyTypes: ["Egress"],
      egress: [
        {
          to: [
            {
              namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } },
              podSelector: { matchLabels: { "k8s-app": "kube-dns" } },
            },
          ],
          ports: [
            { port: 53, protocol: "UDP" },
            { port: 53, protocol: "TCP" },
          ],
        },
      ],
    });
    const access = tenantGatewayAccess(demo, addresses);
    assert.deepEqual(access, {
      ai: [{ gateway: "agentgateway-proxy", ports: [8080] }],
      mcp: [{ gateway: "mcp-gateway-proxy", ports: [8090] }],
    });
    assert.deepEqual(gatewayEgressSpec("agentgateway-system", access.ai), {
      podSelector: {},
      policyTypes: ["Egress"],
      egress: [
        {
          to: [
            {
              namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "agentgateway-system" } },
              podSelector: {
                matchLabels: { "gateway.networking.k8s.io/gateway-name": "agentgateway-proxy" },
              },
            },
          ],
          ports: [{ port: 8080, protocol: "TCP" }],
        },
      ],
    });
  });

  it("gives tenant admins workloads but only read access to isolation, quota and RBAC objects", () => {
    const rules = tenantAdminRules();
    const writes = (group: string, resource: string) =>
      rules.some(
        (r) =>
          r.apiGroups.includes(group) &&
          r.resources.includes(resource) &&
          r.verbs.some((v) => ["create", "update", "patch", "delete"].includes(v)),
      );
    for (const [group, resource] of [
      ["networking.k8s.io", "networkpolicies"],
      ["", "resourcequotas"],
      ["", "limitranges"],
      ["", "namespaces"],
      ["rbac.authorization.k8s.io", "roles"],
      ["rbac.authorization.k8s.io", "rolebindings"],
      ["keda.sh", "scaledobjects"],
      ["autoscaling.k8s.io", "verticalpodautoscalers"],
    ] as const) {
      assert.ok(!writes(group, resource), `${group}/${resource} is writable`);
    }
    for (const [group, resource] of [
      ["apps", "deployments"],
      ["", "secrets"],
      ["", "services"],
      ["autoscaling", "horizontalpodautoscalers"],
      ["monitoring.coreos.com", "servicemonitors"],
    ] as const) {
      assert.ok(writes(group, resource), `${group}/${resource} is read-only`);
    }
    assert.ok(
      rules.every((r) => !r.verbs.includes("*") && !r.resources.includes("*") && !r.apiGroups.includes("*")),
      "wildcard rule",
    );
    assert.ok(!rules.some((r) => r.resources.includes("pods/exec")), "pods/exec granted");
    assert.deepEqual(groupSubjects(["b", "a", "b"]), [
      { kind: "Group", apiGroup: "rbac.authorization.k8s.io", name: "a" },
      { kind: "Group", apiGroup: "rbac.authorization.k8s.io", name: "b" },
    ]);
  });

  it("derives matching ingress and egress rules from the calls graph", () => {
    const graph = callGraphRules("t1", [
      { name: "a", port: 8080, calls: ["b"] },
      { name: "b", port: 9090, calls: [] },
    ]);
    const sel = (n: string) => ({ "app.kubernetes.io/name": n, "app.kubernetes.io/instance": n });
    assert.deepEqual(graph["b"], {
      ingress: [rule(namespacePeer("t1", sel("a")), tcp(9090))],
      egress: [],
    });
    assert.deepEqual(graph["a"], {
      ingress: [],
      egress: [rule(namespacePeer("t1", sel("b")), tcp(9090))],
    });
  });

  it("lists the secrets a tenant's workloads read, once each", () => {
    const t = tenantOf({
      name: "s",
      quota: { cpu: "1", memory: "1Gi", pods: 4 },
      workloads: [
        { name: "a", image: "a1McpConfig", secretEnv: { X: "s2", Y: "s1" } },
        { name: "b", image: "a1McpConfig", secretEnv: { Z: "s1" } },
      ],
    });
    const withTenants = { ...platform, tenants: { enabled: true, items: [demo, t] } };
    assert.deepEqual(activeSecretNames(withTenants, "tenants.items[1]"), ["s1", "s2"]);
    assert.deepEqual(activeSecretNames(withTenants, "tenants.items[0]"), []);
  });
});

describe("tenant: agent workload builders", () => {
  const hpa: AutoscalingConfig = {
    minReplicas: 2,
    maxReplicas: 10,
    targetCPUUtilizationPercentage: 70,
    targetMemoryUtilizationPercentage: 80,
  };

  it("reaches the model through the AI gateway route, never a provider URL", () => {
    assert.equal(agentModelBaseUrl(demo.workloads[0]!.model!, addresses), GATEWAY_URL);
    assert.equal(
      agentModelBaseUrl({ route: "xai", pathPrefix: "/xai" }, addresses),
      "http://xai-gateway-proxy.agentgateway-system.svc.cluster.local:8081/xai",
    );
    assert.throws(
      () => agentModelBaseUrl({ route: "openai", pathPrefix: "/v1" }, addresses),
      /the address book has no URL for openai \/v1/,
    );
  });

  it("sets LLM_BASE_URL and LLM_MODEL for agents", () => {
    const agent = demo.workloads[0]!;
    assert.deepEqual(workloadEnv(agent, GATEWAY_URL), {
      LLM_BASE_URL: GATEWAY_URL,
      LLM_MODEL: "gpt-4o-mini",
    });
    assert.deepEqual(workloadEnv({ name: "svc", env: { A: "1" }, model: undefined }, undefined), { A: "1" });
    assert.throws(() => workloadEnv(agent, undefined), /needs the gateway base URL/);
  });

  it("hands CPU/memory scaling to the workload block's HPA unless KEDA owns it", () => {
    assert.deepEqual(hpaSettings(hpa), {
      minReplicas: 2,
      maxReplicas: 10,
      cpuUtilization: 70,
      memoryUtilization: 80,
    });
    assert.equal(hpaSettings(undefined), undefined);
    assert.equal(
      hpaSettings({ ...hpa, keda: { serverAddress: "http://p:9090", query: "q", threshold: 5 } }),
      undefined,
    );
  });

  it("builds a KEDA ScaledObject with cpu, memory and prometheus triggers (string metadata)", () => {
    const keda = {
      serverAddress: "http://prometheus.monitoring.svc:9090",
      query: 'sum(rate(agent_requests_total{namespace="t"}[2m]))',
      threshold: 20,
    };
    const so = scaledObjectSpec("claude-assistant", hpa, keda);
    assert.deepEqual(so, {
      scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "claude-assistant" },
      minReplicaCount: 2,
      maxReplicaCount: 10,
      triggers: [
        { type: "cpu", metricType: "Utilization", metadata: { value: "70" } },
        { type: "memory", metricType: "Utilization", metadata: { value: "80" } },
        {
          type: "prometheus",
          metadata: { serverAddress: keda.serverAddress, query: keda.query, threshold: "20" },
        },
      ],
    });
    // KEDA reads trigger metadata as a map of strings.
    for (const t of so["triggers"] as Array<{ metadata: Record<string, unknown> }>) {
      for (const v of Object.values(t.metadata)) assert.equal(typeof v, "string");
    }
    const noMemory = scaledObjectSpec("a", { ...hpa, targetMemoryUtilizationPercentage: undefined }, keda);
    assert.deepEqual(
      (noMemory["triggers"] as Obj[]).map((t) => t["type"]),
      ["cpu", "prometheus"],
    );
  });

  it("builds a VerticalPodAutoscaler for the Deployment's container", () => {
    assert.deepEqual(
      vpaSpec("agent", "agent", { updateMode: "Off", maxAllowed: { cpu: "2", memory: "4Gi" } }),
      {
        targetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "agent" },
        updatePolicy: { updateMode: "Off" },
        resourcePolicy: {
          containerPolicies: [
            {
              containerName: "agent",
              controlledResources: ["cpu", "memory"],
              maxAllowed: { cpu: "2", memory: "4Gi" },
            },
          ],
        },
      },
    );
    assert.throws(() =>
      tenantsSchema.parse({
        enabled: true,
        items: [
          {
            name: "t",
            quota: { cpu: "1", memory: "1Gi", pods: 1 },
            workloads: [{ name: "a", image: "x", vpa: { updateMode: "Auto" } }],
          },
        ],
      }),
    );
  });

  it("requests GPUs, node selector and tolerations only when asked", () => {
    assert.deepEqual(gpuSettings(undefined), {});
    const gpu = tenantOf({
      name: "g",
      quota: { cpu: "1", memory: "1Gi", pods: 1, gpus: 1 },
      workloads: [
        {
          name: "a",
          image: "agentopsLlmAgent",
          gpu: {
            count: 1,
            nodeSelector: { "node.kubernetes.io/instance-type": "g4dn.xlarge" },
            tolerations: [{ key: "nvidia.com/gpu", effect: "NoSchedule" }],
          },
        },
      ],
    }).workloads[0]!.gpu;
    assert.deepEqual(gpuSettings(gpu), {
      extendedResources: { "nvidia.com/gpu": "1" },
      nodeSelector: { "node.kubernetes.io/instance-type": "g4dn.xlarge" },
      tolerations: [{ key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" }],
    });
  });
});

describe("workload block: GPU, scheduling and external scaling knobs", () => {
  const input = {
    name: "gpu-agent",
    image: images.agentopsLlmAgent,
    ports: [{ name: "http", port: 8080 }],
    resources: { requests: { cpu: "1", memory: "2Gi" }, limits: { cpu: "2", memory: "4Gi" } },
    probes: {
      readiness: { type: "tcp" as const, port: "http" },
      liveness: { type: "tcp" as const, port: "http" },
    },
  };

  it("adds extended resources to requests and limits, and the node selector and tolerations to the pod", async () => {
    const pod = buildPodSpec({
      ...input,
      extendedResources: { "nvidia.com/gpu": "1" },
      nodeSelector: { gpu: "true" },
      tolerations: [{ key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" }],
    }) as { containers: Obj[] } & Obj;
    assert.deepEqual(pod.containers[0]!["resources"], {
      requests: { cpu: "1", memory: "2Gi", "nvidia.com/gpu": "1" },
      limits: { cpu: "2", memory: "4Gi", "nvidia.com/gpu": "1" },
    });
    assert.deepEqual(pod["nodeSelector"], { gpu: "true" });
    assert.deepEqual(pod["tolerations"], [
      { key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" },
    ]);
    assert.deepEqual(await podBaselineViolations(pod), []);
  });

  it("leaves the pod unchanged without them", () => {
    const pod = buildPodSpec({ ...input, nodeSelector: {}, tolerations: [] }) as { containers: Obj[] } & Obj;
    assert.deepEqual(pod.containers[0]!["resources"], input.resources);
    assert.equal(pod["nodeSelector"], undefined);
    assert.equal(pod["tolerations"], undefined);
  });
});

describe("tenant: an agent and a chain of services (recorded)", () => {
  let rec: Recording;
  let tenant: RecordedResource;
  before(async () => {
    rec = await recordTenant(demo);
    tenant = one(rec, "platform:tenant:Tenant", "tenant-agents-demo");
  });

  // The stacks' own choice: rooster's tenant is the AgentOps agent plus the A1 orchestrator's services.
  it("is the AgentOps agent plus the A1 orchestrator's five mcp-* services, enabled on rooster only", () => {
    const rooster = loadPlatformConfig(rawConfigOf(readStackFile("rooster")));
    assert.equal(rooster.tenants.enabled, true);
    const roosterDemo = rooster.tenants.items[0]!;
    assert.deepEqual(
      roosterDemo.workloads.map((w) => w.name),
      ["claude-assistant", ...A1_ORCHESTRATOR_SERVICES],
    );
    for (const w of roosterDemo.workloads) {
      assert.deepEqual(
        w.autoscaling,
        {
          minReplicas: 2,
          maxReplicas: 10,
          targetCPUUtilizationPercentage: 70,
          targetMemoryUtilizationPercentage: 80,
        },
        w.name,
      );
      assert.ok(w.image in images, w.image);
    }
    const homeops = loadPlatformConfig(rawConfigOf(readStackFile("homeops")));
    assert.equal(homeops.tenants.enabled, false);
  });

  it("owns its namespace: protected, restricted, labelled, and not created by the platform namespaces", () => {
    const ns = one(rec, "kubernetes:core/v1:Namespace", "tenant-agents-demo-namespace");
    assert.equal(ns.parent, tenant.urn);
    assert.equal(ns.options.protect, true);
    assert.equal((ns.inputs["metadata"] as Obj)["name"], "agents-demo");
    assert.equal(labelsOf(ns)["pod-security.kubernetes.io/enforce"], "restricted");
    assert.equal(labelsOf(ns)["ai-platform/cost-center"], "ai-platform-demo");
    assert.ok(!namespacesOf(platform).some((n) => n.name === "agents-demo"));
  });

  it("creates the quota, limits, network policies and admin RBAC in the namespace, after it", () => {
    const ns = one(rec, "kubernetes:core/v1:Namespace", "tenant-agents-demo-namespace");
    const quota = one(rec, "kubernetes:core/v1:ResourceQuota", "tenant-agents-demo-quota");
    assert.deepEqual(spec(quota)["hard"], resourceQuotaHard(demo));
    const limits = one(rec, "kubernetes:core/v1:LimitRange", "tenant-agents-demo-limits");
    assert.deepEqual(spec(limits), limitRangeSpec(demo.limits));
    const policies = byType(rec, "kubernetes:networking.k8s.io/v1:NetworkPolicy").filter(
      (p) => p.parent === tenant.urn,
    );
    assert.deepEqual(policies.map((p) => p.name).sort(), [
      "tenant-agents-demo-allow-ai-gateway",
      "tenant-agents-demo-allow-dns",
      "tenant-agents-demo-allow-mcp-gateway",
      "tenant-agents-demo-default-deny",
    ]);
    const role = one(rec, "kubernetes:rbac.authorization.k8s.io/v1:Role", "tenant-agents-demo-admin");
    assert.deepEqual(role.inputs["rules"], tenantAdminRules());
    const binding = one(
      rec,
      "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding",
      "tenant-agents-demo-admin",
    );
    assert.deepEqual(binding.inputs["roleRef"], {
      apiGroup: "rbac.authorization.k8s.io",
      kind: "Role",
      name: "tenant-admin",
    });
    assert.deepEqual(binding.inputs["subjects"], [
      { kind: "Group", apiGroup: "rbac.authorization.k8s.io", name: "agents-demo-admins" },
    ]);
    for (const r of [quota, limits, role, binding, ...policies]) {
      assert.equal((r.inputs["metadata"] as Obj)["namespace"], "agents-demo", r.name);
      assert.ok(r.dependencies.includes(ns.urn), `${r.name} does not wait for the namespace`);
    }
  });

  it("runs six hardened workloads with HPA 2-10 at 70 % CPU / 80 % memory, PDB and ServiceMonitor", async () => {
    const workloads = byType(rec, "platform:tenant:AgentWorkload");
    assert.deepEqual(
      workloads.map((w) => w.name).sort(),
      demo.workloads.map((w) => `tenant-agents-demo-${w.name}`).sort(),
    );
    for (const w of workloads) {
      assert.equal(w.parent, tenant.urn);
      const children = descendantsOf(rec, w);
      const kinds = children
        .filter((c) => c.custom)
        .map((c) => c.type)
        .sort();
      assert.deepEqual(
        kinds,
        [
          "kubernetes:apps/v1:Deployment",
          "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
          "kubernetes:core/v1:Service",
          "kubernetes:monitoring.coreos.com/v1:ServiceMonitor",
          "kubernetes:networking.k8s.io/v1:NetworkPolicy",
          "kubernetes:policy/v1:PodDisruptionBudget",
        ],
        w.name,
      );
      const hpa = children.find((c) => c.type === "kubernetes:autoscaling/v2:HorizontalPodAutoscaler")!;
      const s = spec(hpa);
      assert.equal(s["minReplicas"], 2);
      assert.equal(s["maxReplicas"], 10);
      assert.ok((s["minReplicas"] as number) <= (s["maxReplicas"] as number));
      assert.deepEqual(
        (s["metrics"] as Array<{ resource: { name: string; target: { averageUtilization: number } } }>).map(
          (m) => [m.resource.name, m.resource.target.averageUtilization],
        ),
        [
          ["cpu", 70],
          ["memory", 80],
        ],
      );
      const deployment = children.find((c) => c.type === "kubernetes:apps/v1:Deployment")!;
      const pod = (spec(deployment)["template"] as Obj)["spec"] as Obj;
      assert.deepEqual(await podBaselineViolations(pod), []);
      assert.equal(spec(deployment)["replicas"], undefined, "the HPA owns the replica count");
      // No GPU was asked for: nothing GPU-related reaches the pod.
      assert.equal(pod["nodeSelector"], undefined);
      assert.equal(pod["tolerations"], undefined);
      assert.ok(!JSON.stringify(pod).includes("gpu"), `${w.name} mentions a GPU`);
    }
    assert.deepEqual(byType(rec, "kubernetes:keda.sh/v1alpha1:ScaledObject"), []);
    assert.deepEqual(byType(rec, "kubernetes:autoscaling.k8s.io/v1:VerticalPodAutoscaler"), []);
  });

  it("gives the agent its model through the gateway URL and no provider key", () => {
    const deployment = one(
      rec,
      "kubernetes:apps/v1:Deployment",
      "tenant-agents-demo-claude-assistant-workload-deployment",
    );
    const container = (((spec(deployment)["template"] as Obj)["spec"] as Obj)["containers"] as Obj[])[0]!;
    assert.deepEqual(container["env"], [
      { name: "LLM_BASE_URL", value: GATEWAY_URL },
      { name: "LLM_MODEL", value: "gpt-4o-mini" },
    ]);
    assert.equal(container["image"], "registry.a1.internal/agentops/llm-agent:v1.0.0");
    assert.deepEqual(byType(rec, "kubernetes:core/v1:Secret"), []);
    const aiEgress = one(
      rec,
      "kubernetes:networking.k8s.io/v1:NetworkPolicy",
      "tenant-agents-demo-allow-ai-gateway",
    );
    const rule = (spec(aiEgress)["egress"] as Obj[])[0]!;
    assert.deepEqual(rule["ports"], [{ port: 8080, protocol: "TCP" }]);
    assert.deepEqual(((rule["to"] as Obj[])[0]!["podSelector"] as Obj)["matchLabels"], {
      "gateway.networking.k8s.io/gateway-name": "agentgateway-proxy",
    });
  });

  it("admits only declared callers: mcp-tracehub is called by the four other services", () => {
    const np = one(
      rec,
      "kubernetes:networking.k8s.io/v1:NetworkPolicy",
      "tenant-agents-demo-mcp-tracehub-workload-netpol",
    );
    const callers = (
      spec(np)["ingress"] as Array<{ from: Array<{ podSelector?: { matchLabels: Record<string, string> } }> }>
    )
      .map((r) => r.from[0]!.podSelector?.matchLabels["app.kubernetes.io/name"] ?? "scraper")
      .sort();
    assert.deepEqual(callers, [
      "mcp-config",
      "mcp-gateway",
      "mcp-orchestrator-api",
      "mcp-policy-proxy",
      "scraper",
    ]);
    const agentNp = one(
      rec,
      "kubernetes:networking.k8s.io/v1:NetworkPolicy",
      "tenant-agents-demo-claude-assistant-workload-netpol",
    );
    const egressTo = (
      spec(agentNp)["egress"] as Array<{
        to: Array<{ podSelector?: { matchLabels: Record<string, string> } }>;
      }>
    ).map(
      (r) =>
        r.to[0]!.podSelector?.matchLabels["app.kubernetes.io/name"] ??
        r.to[0]!.podSelector?.matchLabels["k8s-app"],
    );
    assert.deepEqual(egressTo, ["kube-dns", "mcp-gateway"]);
  });
});

const gpuLabWorkloads: Obj[] = [
  {
    name: "gpu-agent",
    kind: "agent",
    image: "agentopsLlmAgent",
    model: { name: "claude-sonnet-4-5", route: "anthropic", pathPrefix: "/anthropic" },
    secretEnv: { VECTOR_DB_TOKEN: "vector-db-token" },
    resources: { requests: { cpu: "1", memory: "2Gi" }, limits: { cpu: "2", memory: "4Gi" } },
    autoscaling: {
      minReplicas: 1,
      maxReplicas: 4,
      targetCPUUtilizationPercentage: 70,
      keda: {
        serverAddress: "http://prometheus.monitoring.svc:9090",
        query: "sum(rate(agent_requests_total[2m]))",
        threshold: 20,
      },
    },
    gpu: {
      count: 1,
      nodeSelector: { "nvidia.com/gpu.present": "true" },
      tolerations: [{ key: "nvidia.com/gpu", effect: "NoSchedule" }],
    },
    serviceMonitor: false,
  },
  {
    name: "sizer",
    image: "a1McpConfig",
    vpa: { updateMode: "Initial", maxAllowed: { cpu: "1", memory: "1Gi" } },
  },
];
const gpuLab: TenantConfig = tenantOf({
  name: "gpu-lab",
  quota: { cpu: "4", memory: "8Gi", pods: 10, gpus: 4 },
  workloads: gpuLabWorkloads,
});

describeWithSchemas("tenant: conformance", () => {
  /** Core objects against kubernetes-models, prometheus-operator objects against their CRDs; KEDA and VPA have no CRD on file (their shapes are unit-tested above). */
  async function problemsOf(
    t: TenantConfig,
    secrets: Record<string, pulumi.Input<string>> = {},
  ): Promise<{ checked: number; problems: string[] }> {
    const rec = await recordTenant(t, secrets);
    const problems: string[] = [];
    let checked = 0;
    for (const r of rec.resources.filter(
      (x) => x.custom && x.type.startsWith("kubernetes:") && !x.type.startsWith("pulumi:providers:"),
    )) {
      const m = manifestOf(r);
      const apiVersion = String(m["apiVersion"]);
      if (apiVersion.startsWith("keda.sh/") || apiVersion.startsWith("autoscaling.k8s.io/")) continue;
      checked++;
      problems.push(
        ...(apiVersion.startsWith("monitoring.coreos.com/")
          ? validateCustomResource(m)
          : validateCoreObject(m)),
      );
    }
    return { checked, problems };
  }

  it("every object of the demo tenant validates against its schema", async () => {
    const { checked, problems } = await problemsOf(demo);
    assert.ok(checked >= 45, `${checked} objects`);
    assert.deepEqual(problems, []);
  });

  it("the GPU/KEDA/VPA tenant's core objects and monitors validate too", async () => {
    const { checked, problems } = await problemsOf(gpuLab, { "vector-db-token": pulumi.secret("tok-123") });
    assert.ok(checked >= 15, `${checked} objects`);
    assert.deepEqual(problems, []);
  });
});

describe("tenant: GPU, KEDA, VPA and secrets (recorded)", () => {
  let rec: Recording;
  const t = gpuLab;

  before(async () => {
    rec = await recordTenant(t, { "vector-db-token": pulumi.secret("tok-123") });
  });

  it("lets the ScaledObject own scaling: no HPA, no replica count on the Deployment", () => {
    const so = one(rec, "kubernetes:keda.sh/v1alpha1:ScaledObject", "tenant-gpu-lab-gpu-agent-scaledobject");
    const autoscaling = t.workloads[0]!.autoscaling!;
    assert.deepEqual(so.inputs["spec"], scaledObjectSpec("gpu-agent", autoscaling, autoscaling.keda!));
    assert.equal((so.inputs["metadata"] as Obj)["namespace"], "gpu-lab");
    const deployment = one(
      rec,
      "kubernetes:apps/v1:Deployment",
      "tenant-gpu-lab-gpu-agent-workload-deployment",
    );
    assert.ok(so.dependencies.includes(deployment.urn));
    assert.equal(spec(deployment)["replicas"], undefined);
    assert.deepEqual(byType(rec, "kubernetes:autoscaling/v2:HorizontalPodAutoscaler"), []);
    assert.deepEqual(
      byType(rec, "kubernetes:monitoring.coreos.com/v1:ServiceMonitor").map((m) => m.name),
      ["tenant-gpu-lab-sizer-workload-monitor"],
    );
  });

  it("schedules the GPU agent on GPU nodes with the GPU requested and limited", () => {
    const deployment = one(
      rec,
      "kubernetes:apps/v1:Deployment",
      "tenant-gpu-lab-gpu-agent-workload-deployment",
    );
    const pod = (spec(deployment)["template"] as Obj)["spec"] as Obj;
    assert.deepEqual(pod["nodeSelector"], { "nvidia.com/gpu.present": "true" });
    assert.deepEqual(pod["tolerations"], [
      { key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" },
    ]);
    const resources = (pod["containers"] as Obj[])[0]!["resources"] as Record<string, Record<string, string>>;
    assert.equal(resources["requests"]!["nvidia.com/gpu"], "1");
    assert.equal(resources["limits"]!["nvidia.com/gpu"], "1");
    const other = one(rec, "kubernetes:apps/v1:Deployment", "tenant-gpu-lab-sizer-workload-deployment");
    assert.ok(!JSON.stringify(other.inputs).includes("nvidia"));
    assert.equal(spec(other)["replicas"], 1);
  });

  it("keeps secret env in a Secret, referenced by key, never as a literal", () => {
    const secret = one(rec, "kubernetes:core/v1:Secret", "tenant-gpu-lab-gpu-agent-workload-env");
    assert.equal(secret.inputs["stringData"], "[secret]");
    assert.deepEqual(secret.secretPaths, ["stringData"]);
    assert.ok(!JSON.stringify(rec.resources.map((r) => r.inputs)).includes("tok-123"));
    const deployment = one(
      rec,
      "kubernetes:apps/v1:Deployment",
      "tenant-gpu-lab-gpu-agent-workload-deployment",
    );
    const env = ((spec(deployment)["template"] as Obj)["spec"] as { containers: Array<{ env: Obj[] }> })
      .containers[0]!.env;
    assert.deepEqual(env, [
      {
        name: "LLM_BASE_URL",
        value: "http://agentgateway-proxy.agentgateway-system.svc.cluster.local:8080/anthropic",
      },
      { name: "LLM_MODEL", value: "claude-sonnet-4-5" },
      {
        name: "VECTOR_DB_TOKEN",
        valueFrom: { secretKeyRef: { name: "gpu-agent-env", key: "VECTOR_DB_TOKEN" } },
      },
    ]);
  });

  it("adds a VerticalPodAutoscaler next to the service's own scaling", () => {
    const vpa = one(
      rec,
      "kubernetes:autoscaling.k8s.io/v1:VerticalPodAutoscaler",
      "tenant-gpu-lab-sizer-vpa",
    );
    assert.deepEqual(vpa.inputs["spec"], vpaSpec("sizer", "sizer", t.workloads[1]!.vpa!));
    assert.equal(vpa.inputs["apiVersion"] as string, "autoscaling.k8s.io/v1");
  });

  it("refuses a workload whose secret was not resolved", async () => {
    await assert.rejects(recordTenant(t), /secret "vector-db-token" was not resolved/);
  });
});

describe("tenant: through the program", () => {
  it("resolves secret env through the secret resolver and keeps it secret", async () => {
    const workloads = DEMO_WORKLOADS.map((w) =>
      w.name === "mcp-tracehub" ? { ...w, secretEnv: { LANGFUSE_SECRET_KEY: "langfuse-secret-key" } } : w,
    );
    const rec = await recordPlatform(rawConfig(DEMO, tenantsConfig([demoTenant(workloads)])));
    assert.deepEqual(rec.outputs["tenantNamespaces"], ["agents-demo"]);
    const secret = one(rec, "kubernetes:core/v1:Secret", "tenant-agents-demo-mcp-tracehub-workload-env");
    assert.equal(secret.inputs["stringData"], "[secret]");
    assert.ok(
      rec.invokes.some(
        (i) => i.token === "onepassword:index/getItem:getItem" && i.args["title"] === "langfuse-secret-key",
      ),
      "the key is looked up in 1Password",
    );
    const plain = JSON.stringify(rec.resources.map((r) => r.inputs));
    for (const value of rec.secretValues)
      assert.ok(!plain.includes(value), "a secret value reached plain inputs");
  });

  it("creates nothing when tenants are disabled", async () => {
    const on = await recordPlatform(DEMO);
    assert.equal(byType(on, "platform:tenant:Tenant").length, 1);
    const rec = await recordPlatform(rawConfig(DEMO, { tenants: { enabled: false } }));
    assert.deepEqual(byType(rec, "platform:tenant:Tenant"), []);
    assert.equal(rec.outputs["tenantNamespaces"], undefined);
  });
});
