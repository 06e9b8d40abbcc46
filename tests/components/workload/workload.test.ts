import { strict as assert } from "assert";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import {
  buildPodSpec,
  labelValue,
  PodSpecInput,
  selectorLabels,
  standardLabels,
  volumeNameFor,
  Workload,
} from "../../../components/workload";
import { namespacePeer, publicHttpsEgress, rule, tcp } from "../../../lib/networkPolicy";
import { manifestOf } from "../../../recording/manifests";
import { podBaselineViolations } from "../../support/podBaseline";
import type { Recording } from "../../../recording/runtime";
import { validateCoreObject } from "../../../conformance/core";
import { validateCustomResource } from "../../../conformance/crd";
import { schemasDir } from "../../../conformance/paths";
import { byType, descendantsOf, one, recordProgram } from "../../support/record";

const base: PodSpecInput = {
  name: "demo",
  image: { repository: "ghcr.io/example/demo", tag: "1.2.3" },
  ports: [{ name: "http", port: 8080 }],
  resources: { requests: { cpu: "10m", memory: "32Mi" }, limits: { cpu: "100m", memory: "64Mi" } },
  probes: {
    readiness: { type: "http", path: "/ready", port: "http" },
    liveness: { type: "tcp", port: "http" },
  },
};

type Pod = Record<string, unknown> & {
  containers: Array<Record<string, unknown>>;
  securityContext: Record<string, unknown>;
};

function podOf(input: PodSpecInput = base): Pod {
  return buildPodSpec(input) as Pod;
}

describe("workload: labels and images", () => {
  it("builds the recommended labels and a stable selector subset", () => {
    assert.deepEqual(
      standardLabels({
        name: "mcp-slack",
        component: "mcp-server",
        partOf: "ai-platform",
        version: "v1.3.0",
      }),
      {
        "app.kubernetes.io/name": "mcp-slack",
        "app.kubernetes.io/instance": "mcp-slack",
        "app.kubernetes.io/managed-by": "pulumi",
        "app.kubernetes.io/component": "mcp-server",
        "app.kubernetes.io/part-of": "ai-platform",
        "app.kubernetes.io/version": "v1.3.0",
      },
    );
    assert.deepEqual(selectorLabels({ name: "mcp-slack", version: "x" }), {
      "app.kubernetes.io/name": "mcp-slack",
      "app.kubernetes.io/instance": "mcp-slack",
    });
    assert.equal(labelValue("sha256:abc+1"), "sha256_abc_1");
  });

  it("sizes the writable emptyDirs as asked", () => {
    const pod = podOf({ ...base, writablePaths: ["/tmp", "/home/app"], scratchSize: "512Mi" });
    assert.deepEqual(pod["volumes"], [
      { name: "tmp", emptyDir: { sizeLimit: "512Mi" } },
      { name: "home-app", emptyDir: { sizeLimit: "512Mi" } },
    ]);
  });

  it("derives emptyDir volume names from mount paths", () => {
    assert.equal(volumeNameFor("/tmp"), "tmp");
    assert.equal(volumeNameFor("/home/app/.cache"), "home-app-cache");
  });
});

describe("workload: pod spec", () => {
  it("meets the restricted profile with limits, probes and a read-only root", async () => {
    const pod = podOf();
    assert.deepEqual(await podBaselineViolations(pod), []);
    const c = pod.containers[0]!;
    assert.deepEqual(c["securityContext"], {
      runAsNonRoot: true,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      privileged: false,
      capabilities: { drop: ["ALL"] },
      seccompProfile: { type: "RuntimeDefault" },
    });
    assert.deepEqual(pod.securityContext, {
      runAsNonRoot: true,
      runAsUser: 65532,
      runAsGroup: 65532,
      fsGroup: 65532,
      seccompProfile: { type: "RuntimeDefault" },
    });
    assert.equal(pod["automountServiceAccountToken"], false);
    assert.deepEqual(c["volumeMounts"], [{ name: "tmp", mountPath: "/tmp" }]);
    assert.deepEqual(pod["volumes"], [{ name: "tmp", emptyDir: { sizeLimit: "64Mi" } }]);
    assert.deepEqual(c["readinessProbe"], {
      httpGet: { path: "/ready", port: "http" },
      initialDelaySeconds: 5,
      periodSeconds: 10,
      timeoutSeconds: 3,
      failureThreshold: 3,
    });
    assert.deepEqual(c["livenessProbe"], {
      tcpSocket: { port: "http" },
      initialDelaySeconds: 5,
      periodSeconds: 10,
      timeoutSeconds: 3,
      failureThreshold: 3,
    });
    assert.equal(c["image"], "ghcr.io/example/demo:1.2.3");
  });

  it("sorts env and reads secret env from Secret keys, never as literals", () => {
    const pod = podOf({
      ...base,
      env: { B: { value: "2" }, A: { secretKeyRef: { name: "demo-env", key: "A" } } },
    });
    assert.deepEqual(pod.containers[0]!["env"], [
      { name: "A", valueFrom: { secretKeyRef: { name: "demo-env", key: "A" } } },
      { name: "B", value: "2" },
    ]);
  });

  it("refuses a probe on a port the container does not expose", () => {
    assert.throws(
      () => podOf({ ...base, probes: { ...base.probes, liveness: { type: "tcp", port: "metrics" } } }),
      /probe port "metrics" is not a container port/,
    );
  });

  it("the policy pack names every deviation from the baseline", async () => {
    const pod = podOf();
    const c = pod.containers[0]!;
    const sc = c["securityContext"] as Record<string, unknown>;
    const broken: Pod = {
      ...pod,
      hostNetwork: true,
      securityContext: { runAsUser: 0 },
      containers: [
        {
          ...c,
          image: "nginx:latest",
          securityContext: {
            ...sc,
            runAsNonRoot: undefined,
            allowPrivilegeEscalation: true,
            readOnlyRootFilesystem: false,
            capabilities: { drop: [], add: ["SYS_ADMIN"] },
            seccompProfile: undefined,
          },
          resources: { requests: { cpu: "1" } },
          readinessProbe: undefined,
          livenessProbe: undefined,
        },
      ],
    };
    // The policy pack is the oracle: each deviation is one of its findings (or a missing probe).
    const found = await podBaselineViolations(broken);
    for (const deviation of [
      /hostNetwork is set/,
      /must not run as UID 0/,
      /runAsNonRoot must be true/,
      /allowPrivilegeEscalation must be false/,
      /readOnlyRootFilesystem must be true/,
      /capabilities must drop ALL/,
      /must not add capabilities SYS_ADMIN/,
      /seccompProfile must be RuntimeDefault/,
      /missing resources requests\.memory, limits\.cpu, limits\.memory/,
      /image "nginx:latest" tag "latest" moves/,
      /demo: no readinessProbe/,
      /demo: no livenessProbe/,
    ])
      assert.ok(
        found.some((f) => deviation.test(f)),
        `${deviation} not among:\n${found.join("\n")}`,
      );
    assert.equal(found.length, 12, found.join("\n"));
  });
});

describe("workload: component", () => {
  let recording: Recording;
  before(async () => {
    recording = await recordProgram(() => {
      const provider = new k8s.Provider("k8s", { kubeconfig: "{}" });
      const monitoringCrds = new k8s.core.v1.ConfigMap(
        "prometheus-operator-crds",
        { metadata: { name: "stand-in" } },
        { provider },
      );
      new Workload(
        "demo",
        {
          namespace: "apps",
          objectName: "demo-api",
          component: "api",
          partOf: "ai-platform",
          image: { repository: "ghcr.io/example/demo", tag: "1.2.3" },
          env: { LOG_LEVEL: "info" },
          secretEnv: { API_TOKEN: pulumi.secret("token-value-that-must-not-leak") },
          ports: [
            { name: "http", port: 8080, appProtocol: "http" },
            { name: "metrics", port: 9090 },
          ],
          resources: base.resources,
          probes: base.probes,
          autoscaling: { minReplicas: 2, maxReplicas: 5, cpuUtilization: 70, memoryUtilization: 80 },
          ingress: [rule(namespacePeer("agentgateway-system"), tcp(8080))],
          egress: [publicHttpsEgress()],
          metrics: {
            port: "metrics",
            fromNamespace: "monitoring",
            serviceMonitor: true,
            labels: { release: "prom" },
          },
          monitoringCrds,
        },
        { providers: [provider] },
      );
    });
  });

  it("creates every child under the component with names derived from its name", () => {
    const component = one(recording, "platform:workload:Workload", "demo");
    const children = descendantsOf(recording, component)
      .map((r) => `${r.type} ${r.name}`)
      .sort();
    assert.deepEqual(children, [
      "kubernetes:apps/v1:Deployment demo-deployment",
      "kubernetes:autoscaling/v2:HorizontalPodAutoscaler demo-hpa",
      "kubernetes:core/v1:Secret demo-env",
      "kubernetes:core/v1:Service demo-service",
      "kubernetes:monitoring.coreos.com/v1:ServiceMonitor demo-monitor",
      "kubernetes:networking.k8s.io/v1:NetworkPolicy demo-netpol",
      "kubernetes:policy/v1:PodDisruptionBudget demo-pdb",
    ]);
    for (const r of descendantsOf(recording, component)) assert.equal(r.parent, component.urn, r.name);
  });

  it("keeps secret env in a Secret and out of every plain input", () => {
    const secret = one(recording, "kubernetes:core/v1:Secret", "demo-env");
    assert.deepEqual(secret.secretPaths, ["stringData"]);
    assert.deepEqual(secret.inputs["stringData"], "[secret]");
    assert.ok(!JSON.stringify(recording.resources).includes("token-value-that-must-not-leak"));
    const deployment = one(recording, "kubernetes:apps/v1:Deployment", "demo-deployment");
    assert.ok(deployment.dependencies.includes(secret.urn), "Deployment waits for its env Secret");
    const env = ((deployment.inputs["spec"] as Pod)["template"] as { spec: Pod }).spec.containers[0]!["env"];
    assert.deepEqual(env, [
      { name: "API_TOKEN", valueFrom: { secretKeyRef: { name: "demo-api-env", key: "API_TOKEN" } } },
      { name: "LOG_LEVEL", value: "info" },
    ]);
  });

  it("leaves replicas to the autoscaler and budgets one disruption", async () => {
    const spec = one(recording, "kubernetes:apps/v1:Deployment", "demo-deployment").inputs["spec"] as Record<
      string,
      unknown
    >;
    assert.equal(spec["replicas"], undefined);
    const pod = (spec["template"] as { spec: Record<string, unknown> }).spec;
    assert.deepEqual(await podBaselineViolations(pod), []);
    const hpa = one(recording, "kubernetes:autoscaling/v2:HorizontalPodAutoscaler", "demo-hpa").inputs[
      "spec"
    ] as Record<string, unknown>;
    assert.deepEqual(hpa["scaleTargetRef"], { apiVersion: "apps/v1", kind: "Deployment", name: "demo-api" });
    assert.equal((hpa["metrics"] as unknown[]).length, 2);
    const pdb = one(recording, "kubernetes:policy/v1:PodDisruptionBudget", "demo-pdb").inputs[
      "spec"
    ] as Record<string, unknown>;
    assert.deepEqual(pdb, {
      maxUnavailable: 1,
      selector: {
        matchLabels: { "app.kubernetes.io/name": "demo-api", "app.kubernetes.io/instance": "demo-api" },
      },
    });
  });

  it("denies both directions except the listed peers and always allows cluster DNS", () => {
    const np = one(recording, "kubernetes:networking.k8s.io/v1:NetworkPolicy", "demo-netpol").inputs[
      "spec"
    ] as Record<string, unknown>;
    assert.deepEqual(np["policyTypes"], ["Ingress", "Egress"]);
    assert.deepEqual((np["ingress"] as unknown[])[0], {
      from: [
        { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "agentgateway-system" } } },
      ],
      ports: [{ port: 8080, protocol: "TCP" }],
    });
    assert.deepEqual(np["egress"], [
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
      {
        to: [{ ipBlock: { cidr: "0.0.0.0/0", except: ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"] } }],
        ports: [{ port: 443, protocol: "TCP" }],
      },
    ]);
  });

  it("lets the scraper in on the metrics port and waits for the monitoring CRDs", () => {
    const np = one(recording, "kubernetes:networking.k8s.io/v1:NetworkPolicy", "demo-netpol").inputs[
      "spec"
    ] as { ingress: unknown[] };
    assert.deepEqual(np.ingress[1], {
      from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "monitoring" } } }],
      ports: [{ port: "metrics", protocol: "TCP" }],
    });
    const monitor = one(recording, "kubernetes:monitoring.coreos.com/v1:ServiceMonitor", "demo-monitor");
    const crds = one(recording, "kubernetes:core/v1:ConfigMap", "prometheus-operator-crds");
    assert.ok(monitor.dependencies.includes(crds.urn));
    assert.deepEqual((monitor.inputs["metadata"] as Record<string, unknown>)["labels"], {
      ...standardLabels({ name: "demo-api", component: "api", partOf: "ai-platform", version: "1.2.3" }),
      release: "prom",
    });
    const svc = one(recording, "kubernetes:core/v1:Service", "demo-service").inputs["spec"] as Record<
      string,
      unknown
    >;
    assert.deepEqual(svc["ports"], [
      { name: "http", port: 8080, targetPort: "http", protocol: "TCP", appProtocol: "http" },
      { name: "metrics", port: 9090, targetPort: "metrics", protocol: "TCP" },
    ]);
  });

  it("produces objects that validate against the Kubernetes and prometheus-operator schemas", function () {
    if (schemasDir() === undefined) {
      console.warn("SKIPPED: upstream schemas not found (set PLATFORM_SCHEMAS_DIR)");
      this.skip();
    }
    const objects = byType(recording, "kubernetes:apps/v1:Deployment")
      .concat(byType(recording, "kubernetes:core/v1:Service"), byType(recording, "kubernetes:core/v1:Secret"))
      .concat(
        byType(recording, "kubernetes:policy/v1:PodDisruptionBudget"),
        byType(recording, "kubernetes:networking.k8s.io/v1:NetworkPolicy"),
      )
      .concat(byType(recording, "kubernetes:autoscaling/v2:HorizontalPodAutoscaler"));
    assert.equal(objects.length, 6);
    for (const r of objects) assert.deepEqual(validateCoreObject(manifestOf(r)), [], r.name);
    assert.deepEqual(
      validateCustomResource(
        manifestOf(one(recording, "kubernetes:monitoring.coreos.com/v1:ServiceMonitor", "demo-monitor")),
      ),
      [],
    );
  });
});
