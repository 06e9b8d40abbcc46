import * as k8s from "@pulumi/kubernetes";
import type {
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import { strict as assert } from "assert";
import { ENFORCEMENT_ENV, enforcementLevelFrom, packArgs, platformPolicies } from "../policy/pack";
import { subjectsOfRecording } from "../policy/recorded";
import {
  evaluate,
  imageViolations,
  isPinnedImage,
  isRenderedByComponent,
  labelViolations,
  networkPolicyViolations,
  pdbViolations,
  plainSecretViolations,
  podSecurityViolations,
  PolicySubject,
  protectViolations,
  resourceViolations,
  RESOURCE_RULES,
  STACK_RULES,
} from "../policy/rules";
import { recordedStack, recordProgram } from "./support/record";

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const STACK_URN = "urn:pulumi:test::ai-platform::";

function subject(
  type: string,
  props: Obj,
  opts: { name?: string; protect?: boolean; parentType?: string } = {},
): PolicySubject {
  const name = opts.name ?? String(props["metadata"]?.["name"] ?? "r");
  const qualified = opts.parentType === undefined ? type : `${opts.parentType}$${type}`;
  return { urn: `${STACK_URN}${qualified}::${name}`, type, name, props, protect: opts.protect ?? false };
}

const labels = {
  "app.kubernetes.io/name": "web",
  "app.kubernetes.io/instance": "web",
  "app.kubernetes.io/managed-by": "pulumi",
};

function goodContainer(): Obj {
  return {
    name: "web",
    image: "ghcr.io/example/web:1.2.3",
    env: [
      { name: "LOG_LEVEL", value: "info" },
      { name: "API_TOKEN", valueFrom: { secretKeyRef: { name: "web", key: "token" } } },
      { name: "TOKEN_FILE", value: "/var/run/secrets/token" },
    ],
    resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { cpu: "500m", memory: "256Mi" } },
    securityContext: {
      runAsNonRoot: true,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ["ALL"] },
      seccompProfile: { type: "RuntimeDefault" },
    },
  };
}

function goodDeployment(mutate: (d: Obj) => void = () => undefined, replicas = 2): PolicySubject {
  const d: Obj = {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "web", namespace: "apps", labels: { ...labels } },
    spec: {
      replicas,
      selector: { matchLabels: { "app.kubernetes.io/name": "web", "app.kubernetes.io/instance": "web" } },
      template: {
        metadata: { labels: { ...labels } },
        spec: {
          securityContext: {
            runAsNonRoot: true,
            runAsUser: 65532,
            seccompProfile: { type: "RuntimeDefault" },
          },
          containers: [goodContainer()],
        },
      },
    },
  };
  mutate(d);
  return subject("kubernetes:apps/v1:Deployment", d);
}

const container = (d: Obj): Obj => d["spec"]["template"]["spec"]["containers"][0];

function networkPolicy(namespace = "apps"): PolicySubject {
  return subject("kubernetes:networking.k8s.io/v1:NetworkPolicy", {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: { name: "default-deny", namespace },
    spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] },
  });
}

function pdb(matchLabels: Obj = { "app.kubernetes.io/name": "web" }, namespace = "apps"): PolicySubject {
  return subject("kubernetes:policy/v1:PodDisruptionBudget", {
    apiVersion: "policy/v1",
    kind: "PodDisruptionBudget",
    metadata: { name: "web", namespace },
    spec: { minAvailable: 1, selector: { matchLabels } },
  });
}

describe("policy: fixtures", () => {
  it("a hardened, labelled, replicated Deployment with NetworkPolicy and PDB has no violation", () => {
    assert.deepEqual(evaluate([goodDeployment(), networkPolicy(), pdb()]), []);
  });

  describe("pod-security-restricted", () => {
    it("passes the hardened pod", () => assert.deepEqual(podSecurityViolations(goodDeployment()), []));

    it("fails root, privilege escalation, writable root fs, kept capabilities and no seccomp", () => {
      const bad = goodDeployment((d) => {
        d["spec"]["template"]["spec"]["securityContext"] = {};
        container(d)["securityContext"] = { privileged: true, capabilities: { add: ["NET_ADMIN"] } };
      });
      assert.deepEqual(podSecurityViolations(bad), [
        "Deployment apps/web container web: runAsNonRoot must be true",
        "Deployment apps/web container web: must not be privileged",
        "Deployment apps/web container web: allowPrivilegeEscalation must be false",
        "Deployment apps/web container web: readOnlyRootFilesystem must be true",
        "Deployment apps/web container web: capabilities must drop ALL",
        "Deployment apps/web container web: must not add capabilities NET_ADMIN",
        "Deployment apps/web container web: seccompProfile must be RuntimeDefault or Localhost",
      ]);
    });

    it("fails host namespaces, hostPath volumes, hostPort and UID 0, init containers included", () => {
      const bad = goodDeployment((d) => {
        const spec = d["spec"]["template"]["spec"];
        spec["hostNetwork"] = true;
        spec["volumes"] = [{ name: "root", hostPath: { path: "/" } }];
        spec["initContainers"] = [
          {
            ...goodContainer(),
            name: "init",
            securityContext: { ...goodContainer()["securityContext"], runAsUser: 0 },
          },
        ];
        container(d)["ports"] = [{ containerPort: 80, hostPort: 80 }];
      });
      assert.deepEqual(podSecurityViolations(bad), [
        "Deployment apps/web: hostNetwork is set",
        "Deployment apps/web: volume root is a hostPath",
        "Deployment apps/web container init: must not run as UID 0",
        "Deployment apps/web container web: must not use hostPort 80",
      ]);
    });

    it("judges CronJob and StatefulSet pod templates too, and ignores non-workloads", () => {
      const cron = subject("kubernetes:batch/v1:CronJob", {
        apiVersion: "batch/v1",
        kind: "CronJob",
        metadata: { name: "nightly", namespace: "apps" },
        spec: {
          schedule: "@daily",
          jobTemplate: {
            spec: { template: { spec: { containers: [{ name: "job", image: "busybox:1.37.0" }] } } },
          },
        },
      });
      assert.equal(podSecurityViolations(cron).length, 5);
      assert.deepEqual(podSecurityViolations(networkPolicy()), []);
    });
  });

  describe("container-resources", () => {
    it("passes requests and limits", () => assert.deepEqual(resourceViolations(goodDeployment()), []));
    it("fails missing limits", () => {
      const bad = goodDeployment((d) => {
        container(d)["resources"] = { requests: { cpu: "10m", memory: "16Mi" } };
      });
      assert.deepEqual(resourceViolations(bad), [
        "Deployment apps/web container web: missing resources limits.cpu, limits.memory",
      ]);
    });
  });

  describe("pinned-images", () => {
    it("recognises pinned references", () => {
      assert.equal(isPinnedImage("nginx:1.27.0"), true);
      assert.equal(isPinnedImage("registry.local:5000/team/app:v2"), true);
      assert.equal(isPinnedImage(`ghcr.io/x/y@sha256:${"a".repeat(64)}`), true);
      assert.equal(isPinnedImage("nginx"), false);
      assert.equal(isPinnedImage("nginx:latest"), false);
      assert.equal(isPinnedImage("registry.local:5000/team/app"), false);
      assert.equal(isPinnedImage("nginx:"), false);
    });
    it("passes a tagged image", () => assert.deepEqual(imageViolations(goodDeployment()), []));
    it("fails latest and a missing tag", () => {
      const latest = goodDeployment((d) => {
        container(d)["image"] = "ghcr.io/example/web:latest";
      });
      const untagged = goodDeployment((d) => {
        container(d)["image"] = "ghcr.io/example/web";
      });
      assert.deepEqual(imageViolations(latest), [
        'Deployment apps/web container web: image "ghcr.io/example/web:latest" is not pinned to a tag or digest (and must not be latest)',
      ]);
      assert.equal(imageViolations(untagged).length, 1);
    });
  });

  describe("required-labels", () => {
    it("passes the standard labels", () => assert.deepEqual(labelViolations(goodDeployment()), []));
    it("fails missing object and pod-template labels", () => {
      const bad = goodDeployment((d) => {
        d["metadata"]["labels"] = { "app.kubernetes.io/name": "web" };
        d["spec"]["template"]["metadata"]["labels"] = {};
      });
      assert.deepEqual(labelViolations(bad), [
        "Deployment apps/web: missing labels app.kubernetes.io/instance, app.kubernetes.io/managed-by",
        "Deployment apps/web: pod template missing labels app.kubernetes.io/name, app.kubernetes.io/instance",
      ]);
    });
    it("takes the required labels from config", () => {
      const config = { requiredLabels: ["team"], requiredPodLabels: [] };
      assert.deepEqual(labelViolations(goodDeployment(), config), [
        "Deployment apps/web: missing labels team",
      ]);
    });
  });

  describe("no-plaintext-secrets", () => {
    const configMap = (data: Obj) =>
      subject("kubernetes:core/v1:ConfigMap", {
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: "cfg", namespace: "apps" },
        data,
      });
    it("passes plain configuration and secretKeyRef env", () => {
      assert.deepEqual(
        plainSecretViolations(configMap({ "config.yaml": "level: info\n", endpoint: "http://x:4317" })),
        [],
      );
      assert.deepEqual(plainSecretViolations(goodDeployment()), []);
    });
    it("fails secrets in ConfigMap data", () => {
      assert.deepEqual(
        plainSecretViolations(
          configMap({
            "api-key": "sk-123",
            other: "[secret]",
            "tls.pem": "-----BEGIN RSA PRIVATE KEY-----\n",
          }),
        ),
        [
          'ConfigMap apps/cfg: key "api-key" holds a secret in plain text; use a Secret',
          'ConfigMap apps/cfg: key "other" holds a secret in plain text; use a Secret',
          'ConfigMap apps/cfg: key "tls.pem" holds a secret in plain text; use a Secret',
        ],
      );
    });
    it("fails a literal secret env value", () => {
      const bad = goodDeployment((d) => {
        container(d)["env"] = [
          { name: "SLACK_BOT_TOKEN", value: "xoxb-1" },
          { name: "UPSTREAM", value: "[secret]" },
        ];
      });
      assert.deepEqual(plainSecretViolations(bad), [
        "Deployment apps/web container web: env SLACK_BOT_TOKEN is a literal secret; use valueFrom.secretKeyRef",
        "Deployment apps/web container web: env UPSTREAM is a literal secret; use valueFrom.secretKeyRef",
      ]);
    });
  });

  describe("protect-stateful", () => {
    const talosSecrets = (protect: boolean) =>
      subject(
        "talos:machine/secrets:Secrets",
        { talosVersion: "v1.13" },
        { name: "cluster-secrets", protect },
      );
    const pvc = (protect: boolean) =>
      subject(
        "kubernetes:core/v1:PersistentVolumeClaim",
        { apiVersion: "v1", kind: "PersistentVolumeClaim", metadata: { name: "data", namespace: "apps" } },
        { protect },
      );
    const sts = (protect: boolean) =>
      subject(
        "kubernetes:apps/v1:StatefulSet",
        {
          apiVersion: "apps/v1",
          kind: "StatefulSet",
          metadata: { name: "db", namespace: "apps" },
          spec: { volumeClaimTemplates: [{ metadata: { name: "data" } }] },
        },
        { protect },
      );
    it("passes protected Talos secrets and storage", () => {
      assert.deepEqual([talosSecrets(true), pvc(true), sts(true)].flatMap(protectViolations), []);
      assert.deepEqual(protectViolations(goodDeployment()), []);
    });
    it("fails unprotected Talos secrets, PVCs and StatefulSets with claims", () => {
      assert.deepEqual([talosSecrets(false), pvc(false), sts(false)].flatMap(protectViolations), [
        "cluster-secrets: Talos machine secrets must be protected (losing them locks the cluster out)",
        "PersistentVolumeClaim apps/data: stateful storage must be protected",
        "StatefulSet apps/db: a StatefulSet with volume claims must be protected",
      ]);
    });
  });

  describe("namespace-network-policy", () => {
    it("passes when the workload's namespace has a NetworkPolicy", () =>
      assert.deepEqual(networkPolicyViolations([goodDeployment(), networkPolicy()]), []));
    it("fails when only another namespace has one", () => {
      assert.deepEqual(networkPolicyViolations([goodDeployment(), networkPolicy("other")]), [
        {
          policy: "namespace-network-policy",
          urn: goodDeployment().urn,
          message: "Deployment apps/web: namespace apps has workloads but no NetworkPolicy",
        },
      ]);
    });
    it("accepts a CiliumNetworkPolicy and ignores chart-rendered workloads", () => {
      const cnp = subject("kubernetes:cilium.io/v2:CiliumNetworkPolicy", {
        apiVersion: "cilium.io/v2",
        kind: "CiliumNetworkPolicy",
        metadata: { name: "p", namespace: "apps" },
      });
      assert.deepEqual(networkPolicyViolations([goodDeployment(), cnp]), []);
      const rendered = {
        ...goodDeployment(),
        urn: `${STACK_URN}kubernetes:helm.sh/v4:Chart$kubernetes:apps/v1:Deployment::cilium-operator`,
      };
      assert.equal(isRenderedByComponent(rendered.urn), true);
      assert.deepEqual(networkPolicyViolations([rendered]), []);
      assert.deepEqual(evaluate([rendered]), []);
    });
  });

  describe("replicated-workload-pdb", () => {
    it("passes with a matching PDB, and for a single replica without one", () => {
      assert.deepEqual(pdbViolations([goodDeployment(), pdb()]), []);
      assert.deepEqual(pdbViolations([goodDeployment(() => undefined, 1)]), []);
    });
    it("fails without a PDB, or with one that selects other pods or lives elsewhere", () => {
      const message = "Deployment apps/web: 2 replicas but no PodDisruptionBudget selects its pods";
      for (const others of [
        [],
        [pdb({ "app.kubernetes.io/name": "api" })],
        [pdb(undefined, "other")],
        [pdb({})],
      ]) {
        assert.deepEqual(pdbViolations([goodDeployment(), ...others]), [
          { policy: "replicated-workload-pdb", urn: goodDeployment().urn, message },
        ]);
      }
    });
  });
});

describe("policy: the @pulumi/policy pack", () => {
  const resourceArgs = (s: PolicySubject, config: Obj = {}): ResourceValidationArgs =>
    ({
      type: s.type,
      props: s.props,
      urn: s.urn,
      name: s.name,
      opts: {
        protect: s.protect,
        ignoreChanges: [],
        aliases: [],
        customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
        additionalSecretOutputs: [],
      },
      stackTags: new Map(),
      getConfig: () => config,
    }) as unknown as ResourceValidationArgs;

  function run(policyName: string, s: PolicySubject, config: Obj = {}): string[] {
    const policy = platformPolicies().find((p) => p.name === policyName) as ResourceValidationPolicy;
    const reported: string[] = [];
    const report: ReportViolation = (message) => reported.push(message);
    const validate = policy.validateResource;
    (Array.isArray(validate) ? validate : [validate!]).forEach(
      (v) => void v(resourceArgs(s, config), report),
    );
    return reported;
  }

  it("registers one policy per rule with unique names", () => {
    const names = platformPolicies().map((p) => p.name);
    assert.deepEqual(names, [...RESOURCE_RULES.map((r) => r.name), ...STACK_RULES.map((r) => r.name)]);
    assert.equal(new Set(names).size, names.length);
  });

  it("resource policies report the rule's violations", () => {
    const bad = goodDeployment((d) => {
      container(d)["image"] = "nginx:latest";
    });
    assert.deepEqual(run("pinned-images", bad), [
      'Deployment apps/web container web: image "nginx:latest" is not pinned to a tag or digest (and must not be latest)',
    ]);
    assert.deepEqual(run("pinned-images", goodDeployment()), []);
    assert.deepEqual(run("protect-stateful", subject("talos:machine/secrets:Secrets", {}, { name: "s" })), [
      "s: Talos machine secrets must be protected (losing them locks the cluster out)",
    ]);
  });

  it("required-labels reads its configuration", () => {
    assert.deepEqual(
      run("required-labels", goodDeployment(), { requiredLabels: ["team"], requiredPodLabels: [] }),
      ["Deployment apps/web: missing labels team"],
    );
  });

  it("stack policies report against the offending resource", () => {
    const policy = platformPolicies().find(
      (p) => p.name === "namespace-network-policy",
    ) as StackValidationPolicy;
    const reported: Array<[string, string | undefined]> = [];
    const d = goodDeployment();
    const args = {
      resources: [{ ...d, opts: { protect: false } }],
      stackTags: new Map(),
      getConfig: () => ({}),
    } as unknown as StackValidationArgs;
    void policy.validateStack(args, (message, urn) => reported.push([message, urn]));
    assert.deepEqual(reported, [
      ["Deployment apps/web: namespace apps has workloads but no NetworkPolicy", d.urn],
    ]);
  });

  it("takes its enforcement level from the environment", () => {
    assert.equal(enforcementLevelFrom({}), "mandatory");
    assert.equal(enforcementLevelFrom({ [ENFORCEMENT_ENV]: "advisory" }), "advisory");
    assert.throws(
      () => enforcementLevelFrom({ [ENFORCEMENT_ENV]: "strict" }),
      /PLATFORM_POLICY_ENFORCEMENT must be one of advisory, mandatory, disabled/,
    );
    assert.equal(packArgs({ [ENFORCEMENT_ENV]: "disabled" }).enforcementLevel, "disabled");
  });
});

describe("policy: recorded stacks", () => {
  it("judges what the recording runtime records (protect, manifests, chart components)", async () => {
    const rec = await recordProgram(() => {
      const d = goodDeployment((x) => {
        container(x)["image"] = "ghcr.io/example/web";
      });
      new k8s.apps.v1.Deployment("web", d.props as unknown as k8s.apps.v1.DeploymentArgs);
      new k8s.core.v1.PersistentVolumeClaim(
        "data",
        {
          metadata: { name: "data", namespace: "apps" },
          spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } },
        },
        // Protected, as the policy demands of storage.
        { protect: true },
      );
      new k8s.helm.v4.Chart("cilium", { chart: "cilium", version: "1.20.1", namespace: "kube-system" });
    });
    const subjects = subjectsOfRecording(rec);
    assert.deepEqual(
      subjects
        .map((s) => s.type)
        .filter((t) => t.startsWith("kubernetes:"))
        .sort(),
      ["kubernetes:apps/v1:Deployment", "kubernetes:core/v1:PersistentVolumeClaim"],
    );
    assert.deepEqual(
      evaluate(subjects).map((v) => v.policy),
      ["pinned-images", "namespace-network-policy", "replicated-workload-pdb"],
    );
  });

  for (const stack of ["rooster", "homeops"]) {
    it(`${stack}: every Kubernetes object and provider resource declared passes the pack`, async () => {
      const violations = evaluate(subjectsOfRecording(await recordedStack(stack)));
      assert.deepEqual(
        violations.map((v) => `${v.policy}: ${v.message}`),
        [],
      );
    });
  }
});
