import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { isKubernetesObject, manifestOf } from "../../recording/manifests";
import type { RecordedResource, Recording } from "../../recording/runtime";
import { PROJECT_ROOT } from "../../recording/stackFile";
import {
  assertConforms,
  checkPluginVersion,
  closeSchema,
  conformanceProblems,
  providerSchemaVersion,
  SCHEMAS_ENV,
  schemasDir,
  validateCoreObject,
  validateCustomResource,
  validateProviderInvoke,
  validateProviderResource,
} from "../../conformance";
import { describeWithSchemas } from "../support/schemas";
import { coreModel } from "../../conformance/core";
import { recordProgram } from "../support/record";

/** Runs `fn` with PLATFORM_SCHEMAS_DIR set to `value` (unset when undefined), restoring it afterwards. */
function withSchemasEnv<T>(value: string | undefined, fn: () => T): T {
  const saved = process.env[SCHEMAS_ENV];
  if (value === undefined) delete process.env[SCHEMAS_ENV];
  else process.env[SCHEMAS_ENV] = value;
  try {
    return fn();
  } finally {
    if (saved === undefined) delete process.env[SCHEMAS_ENV];
    else process.env[SCHEMAS_ENV] = saved;
  }
}

const MISSING_DIR = path.join(os.tmpdir(), "platform-schemas-that-do-not-exist");
let skipBodyRan = false;
// Registered with the directory missing, then detached so the probe does not run as part of the suite.
const skipProbe = withSchemasEnv(MISSING_DIR, () =>
  describeWithSchemas("schema-dependent probe", () => {
    skipBodyRan = true;
  }),
);
skipProbe.parent?.suites.splice(skipProbe.parent.suites.indexOf(skipProbe), 1);

function resource(
  type: string,
  inputs: Record<string, unknown>,
  extra: Partial<RecordedResource> = {},
): RecordedResource {
  return {
    urn: `urn:pulumi:test::ai-platform::${type}::r`,
    type,
    name: "r",
    custom: true,
    parent: "",
    provider: "",
    providers: {},
    dependencies: [],
    propertyDependencies: {},
    options: {
      protect: false,
      retainOnDelete: false,
      ignoreChanges: [],
      deleteBeforeReplace: false,
      replaceOnChanges: [],
      additionalSecretOutputs: [],
      version: "",
      pluginDownloadURL: "",
      remote: false,
      import: "",
      upsert: false,
      aliases: [],
    },
    inputs,
    secretPaths: [],
    ...extra,
  };
}

function recording(resources: RecordedResource[], invokes: Recording["invokes"] = []): Recording {
  return {
    project: "ai-platform",
    stack: "fixture",
    resources,
    invokes,
    outputs: {},
    outputSecretPaths: [],
    secretValues: [],
  };
}

const httpRoute = () => ({
  apiVersion: "gateway.networking.k8s.io/v1",
  kind: "HTTPRoute",
  metadata: { name: "chat", namespace: "agentgateway-system" },
  spec: {
    parentRefs: [{ name: "ai-gateway", sectionName: "http" }],
    hostnames: ["ai.example.com"],
    rules: [
      {
        matches: [{ path: { type: "PathPrefix", value: "/v1" } }],
        backendRefs: [{ name: "llm", port: 8080 }],
      },
    ],
  },
});

const deployment = () => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "web", namespace: "apps", labels: { app: "web" } },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: "web" } },
    template: {
      metadata: { labels: { app: "web" } },
      spec: { containers: [{ name: "web", image: "nginx:1.27.0", ports: [{ containerPort: 8080 }] }] },
    },
  },
});

const configurationApply = () => ({
  node: "10.0.0.11",
  clientConfiguration: "[secret]",
  machineConfigurationInput: "[secret]",
  configPatches: ["machine:\n  network:\n    hostname: cp-1\n"],
  applyMode: "auto",
});

describe("conformance: schema directory", () => {
  it("uses PLATFORM_SCHEMAS_DIR when it names an existing directory", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "schemas-"));
    assert.equal(
      withSchemasEnv(dir, () => schemasDir()),
      dir,
    );
  });

  it("is undefined when PLATFORM_SCHEMAS_DIR points at a missing directory", () => {
    assert.equal(
      withSchemasEnv(MISSING_DIR, () => schemasDir()),
      undefined,
    );
  });

  it("defaults to ../shared/schemas beside the project", () => {
    const expected = path.resolve(PROJECT_ROOT, "..", "shared", "schemas");
    assert.equal(
      withSchemasEnv(undefined, () => schemasDir()),
      fs.existsSync(expected) ? expected : undefined,
    );
  });

  it("registers a single skipped test naming the variable when the directory is missing", async () => {
    assert.equal(skipBodyRan, false, "the schema-dependent body must not run");
    assert.equal(skipProbe.suites.length, 0);
    assert.equal(skipProbe.tests.length, 1);
    const probe = skipProbe.tests[0]!;
    const warnings: string[] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => warnings.push(args.join(" "));
    let skipped = false;
    try {
      const context = {
        skip: () => {
          skipped = true;
          throw new Error("skipped");
        },
      };
      await Promise.resolve()
        .then(() => probe.fn!.call(context as unknown as Mocha.Context, () => undefined))
        .catch(() => undefined);
    } finally {
      console.warn = warn;
    }
    assert.equal(skipped, true);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /schema directory not found/);
    assert.match(warnings[0]!, /set PLATFORM_SCHEMAS_DIR/);
    assert.ok(warnings[0]!.includes(MISSING_DIR));
  });

  it("reports the missing directory instead of passing when a validator runs without it", () => {
    assert.throws(
      () => withSchemasEnv(MISSING_DIR, () => validateCustomResource(httpRoute())),
      /schema directory not found: set PLATFORM_SCHEMAS_DIR/,
    );
  });
});

describe("conformance: closing CRD schemas", () => {
  it("closes object schemas that list properties", () => {
    const closed = closeSchema({
      type: "object",
      properties: { spec: { type: "object", properties: { a: { type: "string" } } } },
    });
    assert.deepEqual(closed, {
      type: "object",
      properties: {
        spec: { type: "object", properties: { a: { type: "string" } }, additionalProperties: false },
      },
      additionalProperties: false,
    });
  });

  it("leaves preserve-unknown-fields objects, maps and bare objects open and drops x-kubernetes keywords", () => {
    const closed = closeSchema({
      type: "object",
      properties: {
        raw: {
          type: "object",
          properties: { a: { type: "string" } },
          "x-kubernetes-preserve-unknown-fields": true,
        },
        labels: { type: "object", additionalProperties: { type: "string" } },
        metadata: { type: "object" },
      },
      "x-kubernetes-validations": [{ rule: "self.a == 1" }],
    }) as Record<string, Record<string, Record<string, unknown>>>;
    assert.equal(closed["additionalProperties"], false);
    assert.equal(closed["x-kubernetes-validations"], undefined);
    assert.deepEqual(closed["properties"]!["raw"], { type: "object", properties: { a: { type: "string" } } });
    assert.deepEqual(closed["properties"]!["labels"], {
      type: "object",
      additionalProperties: { type: "string" },
    });
    assert.deepEqual(closed["properties"]!["metadata"], { type: "object" });
  });

  it("does not close property lists inside oneOf/anyOf branches", () => {
    const closed = closeSchema({
      type: "object",
      properties: { a: { type: "string" }, b: { type: "string" } },
      oneOf: [{ required: ["a"], properties: { a: { type: "string" } } }],
    }) as Record<string, unknown>;
    assert.deepEqual(closed["oneOf"], [{ required: ["a"], properties: { a: { type: "string" } } }]);
  });
});

describe("conformance: custom resources against a CRD on file", () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "schemas-"));
    fs.mkdirSync(path.join(dir, "crds", "example"), { recursive: true });
    fs.writeFileSync(
      path.join(dir, "crds", "example", "widgets.yaml"),
      [
        "apiVersion: apiextensions.k8s.io/v1",
        "kind: CustomResourceDefinition",
        "metadata: { name: widgets.example.com }",
        "spec:",
        "  group: example.com",
        "  names: { kind: Widget, plural: widgets }",
        "  versions:",
        "  - name: v1",
        "    served: true",
        "    schema:",
        "      openAPIV3Schema:",
        "        type: object",
        "        properties:",
        "          apiVersion: { type: string }",
        "          kind: { type: string }",
        "          metadata: { type: object }",
        "          spec:",
        "            type: object",
        "            x-kubernetes-validations: [{ rule: 'self.size > 0' }]",
        "            properties:",
        "              size: { type: integer, format: int32 }",
        "              extra: { type: object, x-kubernetes-preserve-unknown-fields: true, properties: { known: { type: string } } }",
        "  - name: v0",
        "    served: false",
        "    schema: { openAPIV3Schema: { type: object } }",
      ].join("\n"),
    );
  });
  const widget = (spec: Record<string, unknown>, apiVersion = "example.com/v1") => ({
    apiVersion,
    kind: "Widget",
    metadata: { name: "w" },
    spec,
  });
  const check = (manifest: Record<string, unknown>) =>
    withSchemasEnv(dir, () => validateCustomResource(manifest));

  it("accepts a conforming object and unknown fields under preserve-unknown-fields", () => {
    assert.deepEqual(check(widget({ size: 3, extra: { anything: { goes: true } } })), []);
  });

  it("rejects an unknown field, a wrong type and a missing name", () => {
    assert.deepEqual(check(widget({ sise: 3 })), [
      'Widget w: /spec must NOT have additional properties (unknown field "sise")',
    ]);
    assert.deepEqual(check(widget({ size: "3" })), ["Widget w: /spec/size must be integer"]);
    assert.deepEqual(check({ ...widget({ size: 1 }), metadata: {} }), [
      "Widget <unnamed>: /metadata/name is required",
    ]);
  });

  it("accepts [secret] in place of any value", () => {
    assert.deepEqual(check(widget({ size: "[secret]" })), []);
  });

  it("rejects a version that is not served and a kind without a CRD", () => {
    assert.deepEqual(check(widget({}, "example.com/v0")), [
      "Widget w: example.com/v0 is not served by widgets.yaml",
    ]);
    const missing = check({ ...widget({}), kind: "Gadget" });
    assert.equal(missing.length, 1);
    assert.match(missing[0]!, /^Gadget w: no CRD for example.com\/v1 Gadget under /);
  });
});

describeWithSchemas("conformance: upstream CRDs", () => {
  it("accepts a valid HTTPRoute", () => {
    assert.deepEqual(validateCustomResource(httpRoute()), []);
  });

  it("rejects an HTTPRoute with a misspelled field", () => {
    const route = httpRoute();
    const rules = route.spec.rules as Array<Record<string, unknown>>;
    rules[0]!["backendRef"] = rules[0]!["backendRefs"];
    delete rules[0]!["backendRefs"];
    assert.deepEqual(validateCustomResource(route), [
      'HTTPRoute agentgateway-system/chat: /spec/rules/0 must NOT have additional properties (unknown field "backendRef")',
    ]);
  });

  it("rejects an HTTPRoute whose path match type is not in the enum", () => {
    const route = httpRoute();
    route.spec.rules[0]!.matches[0]!.path.type = "Prefix";
    const problems = validateCustomResource(route);
    assert.ok(
      problems.some((p) =>
        p.includes("/spec/rules/0/matches/0/path/type must be equal to one of the allowed values"),
      ),
      problems.join("\n"),
    );
  });

  it("rejects an unknown kind and an unknown version of a known group", () => {
    const [unknownKind] = validateCustomResource({ ...httpRoute(), kind: "HTTPRoot" });
    assert.match(unknownKind!, /no CRD for gateway.networking.k8s.io\/v1 HTTPRoot/);
    const [unknownVersion] = validateCustomResource({
      ...httpRoute(),
      apiVersion: "gateway.networking.k8s.io/v9",
    });
    assert.match(
      unknownVersion!,
      /no CRD for gateway.networking.k8s.io\/v9 HTTPRoute .*schemas have: gateway.networking.k8s.io\/v1\/HTTPRoute/,
    );
  });

  it("evaluates Go (?i) patterns case-insensitively (PrometheusRule)", () => {
    const rule = (strategy: string) => ({
      apiVersion: "monitoring.coreos.com/v1",
      kind: "PrometheusRule",
      metadata: { name: "alerts", namespace: "observability" },
      spec: {
        groups: [
          { name: "g", partial_response_strategy: strategy, rules: [{ alert: "Down", expr: "up == 0" }] },
        ],
      },
    });
    assert.deepEqual(validateCustomResource(rule("WARN")), []);
    assert.deepEqual(validateCustomResource(rule("ignore")), [
      'PrometheusRule observability/alerts: /spec/groups/0/partial_response_strategy must match pattern "^(?i)(abort|warn)?$"',
    ]);
  });

  it("closes agentgateway and kagent schemas too", () => {
    const backend = {
      apiVersion: "agentgateway.dev/v1alpha1",
      kind: "AgentgatewayBackend",
      metadata: { name: "openai" },
      spec: { ai: { provider: { openai: { model: "gpt-4o-mini" } } } },
    };
    assert.deepEqual(validateCustomResource(backend), []);
    const typo = { ...backend, spec: { ai: { provider: { openai: { modle: "gpt-4o-mini" } } } } };
    assert.deepEqual(validateCustomResource(typo), [
      'AgentgatewayBackend openai: /spec/ai/provider/openai must NOT have additional properties (unknown field "modle")',
    ]);
    const agent = {
      apiVersion: "kagent.dev/v1alpha2",
      kind: "Agent",
      metadata: { name: "a" },
      spec: { type: "Declarative", declaritive: {} },
    };
    assert.ok(validateCustomResource(agent).some((p) => p.includes('unknown field "declaritive"')));
  });
});

describe("conformance: core Kubernetes objects", () => {
  it("accepts a valid Deployment", () => {
    assert.deepEqual(validateCoreObject(deployment()), []);
  });

  it("rejects a Deployment with a wrong-typed field", () => {
    const d = deployment() as Record<string, unknown> & { spec: Record<string, unknown> };
    d.spec["replicas"] = "2";
    assert.deepEqual(validateCoreObject(d), ["Deployment apps/web: /spec/replicas must be integer"]);
  });

  it("rejects a container port given as a string and a missing name", () => {
    const d = deployment();
    (d.spec.template.spec.containers[0]!.ports[0] as Record<string, unknown>)["containerPort"] = "http";
    const unnamed = { ...deployment(), metadata: { namespace: "apps" } };
    assert.deepEqual(validateCoreObject(d), [
      "Deployment apps/web: /spec/template/spec/containers/0/ports/0/containerPort must be integer",
    ]);
    assert.deepEqual(validateCoreObject(unnamed), ["Deployment apps/<unnamed>: /metadata/name is required"]);
  });

  it("accepts [secret] stand-ins in a Secret", () => {
    const secret = {
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "s", namespace: "apps" },
      data: { token: "[secret]" },
      stringData: "[secret]",
    };
    assert.deepEqual(validateCoreObject(secret), []);
  });

  it("rejects an unknown kind and a custom resource", () => {
    assert.deepEqual(validateCoreObject({ apiVersion: "v1", kind: "Bogus", metadata: { name: "b" } }), [
      "Bogus b: no Kubernetes model for v1 Bogus",
    ]);
    assert.deepEqual(validateCoreObject(httpRoute()), [
      "HTTPRoute agentgateway-system/chat: no Kubernetes model for gateway.networking.k8s.io/v1 HTTPRoute",
    ]);
  });

  it("maps every kind the platform declares to its model", () => {
    const kinds = [
      ["v1", "Namespace"],
      ["v1", "Secret"],
      ["v1", "ConfigMap"],
      ["v1", "Service"],
      ["v1", "ServiceAccount"],
      ["v1", "ResourceQuota"],
      ["v1", "LimitRange"],
      ["apps/v1", "Deployment"],
      ["apps/v1", "StatefulSet"],
      ["apps/v1", "DaemonSet"],
      ["batch/v1", "Job"],
      ["policy/v1", "PodDisruptionBudget"],
      ["networking.k8s.io/v1", "NetworkPolicy"],
      ["autoscaling/v2", "HorizontalPodAutoscaler"],
      ["rbac.authorization.k8s.io/v1", "Role"],
      ["rbac.authorization.k8s.io/v1", "RoleBinding"],
      ["rbac.authorization.k8s.io/v1", "ClusterRole"],
      ["rbac.authorization.k8s.io/v1", "ClusterRoleBinding"],
      ["storage.k8s.io/v1", "StorageClass"],
    ] as const;
    for (const [apiVersion, kind] of kinds) {
      const model = coreModel(apiVersion, kind) as unknown as
        { apiVersion: string; kind: string } | undefined;
      assert.ok(model, `${apiVersion} ${kind}`);
      assert.equal(model.apiVersion, apiVersion);
      assert.equal(model.kind, kind);
    }
    assert.equal(coreModel("apps/v1", "Depolyment"), undefined);
    assert.equal(coreModel("example.com/v1", "Deployment"), undefined);
  });

  it("validates PodDisruptionBudget and NetworkPolicy fields", () => {
    const pdb = {
      apiVersion: "policy/v1",
      kind: "PodDisruptionBudget",
      metadata: { name: "p" },
      spec: { minAvailable: 1, selector: { matchLabels: { app: "web" } } },
    };
    assert.deepEqual(validateCoreObject(pdb), []);
    const np = {
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: { name: "n" },
      spec: { podSelector: {}, policyTypes: "Ingress" },
    };
    assert.deepEqual(validateCoreObject(np), ["NetworkPolicy n: /spec/policyTypes must be array"]);
  });
});

describeWithSchemas("conformance: provider schemas", () => {
  const applyType = "talos:machine/configurationApply:ConfigurationApply";

  it("accepts a valid talos ConfigurationApply with secret inputs", () => {
    assert.deepEqual(validateProviderResource(applyType, configurationApply()), []);
  });

  it("rejects a ConfigurationApply missing node", () => {
    const inputs: Record<string, unknown> = configurationApply();
    delete inputs["node"];
    assert.deepEqual(validateProviderResource(applyType, inputs), [
      `${applyType}: required input "node" is missing`,
    ]);
    assert.deepEqual(validateProviderResource(applyType, { ...configurationApply(), node: null }), [
      `${applyType}: required input "node" is missing`,
    ]);
  });

  it("rejects a ConfigurationApply with an unknown input", () => {
    const problems = validateProviderResource(applyType, {
      ...configurationApply(),
      machineConfiguration: "x",
    });
    assert.equal(problems.length, 1);
    assert.match(
      problems[0]!,
      /unknown input "machineConfiguration" \(known: applyMode, clientConfiguration, /,
    );
  });

  it("type-checks top-level inputs", () => {
    assert.deepEqual(
      validateProviderResource(applyType, { ...configurationApply(), configPatches: "machine: {}" }),
      [`${applyType}: input "configPatches" must be array, got string`],
    );
    assert.deepEqual(
      validateProviderResource(applyType, { ...configurationApply(), clientConfiguration: "plain" }),
      [`${applyType}: input "clientConfiguration" must be object, got string`],
    );
    const pool = "f5bigip:ltm/pool:Pool";
    assert.deepEqual(
      validateProviderResource(pool, { name: "/Common/p", loadBalancingMode: "round-robin" }),
      [],
    );
    assert.deepEqual(validateProviderResource(pool, { name: "/Common/p", slowRampTime: "10" }), [
      `${pool}: input "slowRampTime" must be integer, got string`,
    ]);
  });

  it("rejects an unknown resource token and an unknown package", () => {
    assert.deepEqual(
      validateProviderResource("talos:machine/configurationApply:ConfigApply", configurationApply()),
      ["talos:machine/configurationApply:ConfigApply: no such resource in the talos schema"],
    );
    assert.deepEqual(validateProviderResource("vsphere:index/vm:Vm", {}), [
      'vsphere:index/vm:Vm: no provider schema for package "vsphere"',
    ]);
  });

  it("checks provider configuration inputs", () => {
    assert.deepEqual(
      validateProviderResource("pulumi:providers:talos", {
        imageFactoryUrl: "https://factory.talos.dev",
        version: "0.8.1",
      }),
      [],
    );
    assert.deepEqual(
      validateProviderResource("pulumi:providers:talos", { imageFactoryURL: "https://factory.talos.dev" }),
      ['pulumi:providers:talos: unknown input "imageFactoryURL" (known: imageFactoryUrl)'],
    );
  });

  it("checks invokes: required arguments, unknown arguments, tokens", () => {
    assert.deepEqual(
      validateProviderInvoke("onepassword:index/getItem:getItem", { vault: "uuid", title: "bigip" }),
      [],
    );
    assert.deepEqual(validateProviderInvoke("onepassword:index/getItem:getItem", { title: "bigip" }), [
      'onepassword:index/getItem:getItem: required input "vault" is missing',
    ]);
    assert.deepEqual(
      validateProviderInvoke("onepassword:index/getVault:getVault", { name: "rooster", label: "x" }),
      ['onepassword:index/getVault:getVault: unknown input "label" (known: name, uuid)'],
    );
    assert.deepEqual(validateProviderInvoke("talos:machine/getConfig:getConfig", {}), [
      "talos:machine/getConfig:getConfig: no such function in the talos schema",
    ]);
  });

  it("knows each package's schema version and flags a different plugin version", () => {
    assert.equal(providerSchemaVersion("talos"), "0.8.1");
    assert.equal(providerSchemaVersion("f5bigip"), "3.24.0");
    assert.equal(providerSchemaVersion("onepassword"), "1.1.4");
    assert.equal(providerSchemaVersion("vsphere"), undefined);
    assert.deepEqual(checkPluginVersion(applyType, "0.8.1"), []);
    assert.deepEqual(checkPluginVersion(applyType, "v0.8.1"), []);
    assert.deepEqual(checkPluginVersion(applyType, "0.8.0"), [
      `${applyType}: plugin version 0.8.0 does not match the talos schema version 0.8.1`,
    ]);
  });
});

describe("conformance: recorded resources as Kubernetes objects", () => {
  it("classifies recorded resources", () => {
    assert.equal(isKubernetesObject(resource("kubernetes:apps/v1:Deployment", {})), true);
    assert.equal(isKubernetesObject(resource("kubernetes:gateway.networking.k8s.io/v1:HTTPRoute", {})), true);
    assert.equal(isKubernetesObject(resource("kubernetes:helm.sh/v3:Release", {})), false);
    assert.equal(isKubernetesObject(resource("kubernetes:yaml/v2:ConfigFile", {})), false);
    assert.equal(isKubernetesObject(resource("kubernetes:helm.sh/v4:Chart", {}, { custom: false })), false);
    assert.equal(isKubernetesObject(resource("pulumi:providers:kubernetes", {})), false);
    assert.equal(isKubernetesObject(resource("talos:machine/secrets:Secrets", {})), false);
  });

  it("turns inputs into the object, dropping unset fields and filling apiVersion/kind from the token", () => {
    const r = resource("kubernetes:core/v1:ConfigMap", {
      metadata: { name: "c", annotations: null },
      data: { a: "1" },
      immutable: null,
    });
    assert.deepEqual(manifestOf(r), {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "c" },
      data: { a: "1" },
    });
    const cr = resource("kubernetes:gateway.networking.k8s.io/v1:HTTPRoute", {
      ...httpRoute(),
      status: undefined,
    });
    assert.deepEqual(manifestOf(cr), httpRoute());
  });
});

describeWithSchemas("conformance: whole recordings", () => {
  it("passes a recording of conforming resources and invokes", () => {
    const rec = recording(
      [
        resource("pulumi:pulumi:Stack", {}, { custom: false }),
        resource("kubernetes:apps/v1:Deployment", deployment()),
        resource("kubernetes:gateway.networking.k8s.io/v1:HTTPRoute", httpRoute()),
        resource("kubernetes:helm.sh/v4:Chart", { chart: "cilium" }, { custom: false }),
        resource("talos:machine/configurationApply:ConfigurationApply", configurationApply(), {
          options: { ...resource("x", {}).options, version: "0.8.1" },
        }),
      ],
      [
        {
          token: "onepassword:index/getVault:getVault",
          args: { name: "rooster" },
          provider: "",
          version: "1.1.4",
          pluginDownloadURL: "",
          secretPaths: [],
        },
      ],
    );
    assert.doesNotThrow(() => assertConforms(rec));
  });

  it("lists every problem of a recording in one error", () => {
    const badRoute = httpRoute() as Record<string, unknown>;
    badRoute["spec"] = { ...httpRoute().spec, hostname: ["x"] };
    const rec = recording(
      [
        resource("kubernetes:apps/v1:Deployment", {
          ...deployment(),
          spec: { ...deployment().spec, replicas: "2" },
        }),
        resource("kubernetes:gateway.networking.k8s.io/v1:HTTPRoute", badRoute),
        resource("kubernetes:example.com/v1:Unknown", {
          apiVersion: "example.com/v1",
          kind: "Unknown",
          metadata: { name: "u" },
        }),
        resource(
          "talos:machine/configurationApply:ConfigurationApply",
          { clientConfiguration: "[secret]" },
          {
            name: "cp-1",
            options: { ...resource("x", {}).options, version: "0.7.0" },
          },
        ),
      ],
      [
        {
          token: "onepassword:index/getItem:getItem",
          args: { title: "t" },
          provider: "",
          version: "1.1.3",
          pluginDownloadURL: "",
          secretPaths: [],
        },
      ],
    );
    const problems = conformanceProblems(rec);
    assert.deepEqual(problems.slice(0, 2), [
      "Deployment apps/web: /spec/replicas must be integer",
      'HTTPRoute agentgateway-system/chat: /spec must NOT have additional properties (unknown field "hostname")',
    ]);
    assert.match(problems[2]!, /^Unknown u: no CRD for example.com\/v1 Unknown/);
    assert.deepEqual(problems.slice(3), [
      'cp-1: talos:machine/configurationApply:ConfigurationApply: required input "node" is missing',
      "cp-1: talos:machine/configurationApply:ConfigurationApply: plugin version 0.7.0 does not match the talos schema version 0.8.1",
      'onepassword:index/getItem:getItem: required input "vault" is missing',
      "onepassword:index/getItem:getItem: plugin version 1.1.3 does not match the onepassword schema version 1.1.4",
    ]);
    assert.throws(
      () => assertConforms(rec),
      (err: Error) => err.message.startsWith("fixture: 7 conformance problem(s):\n- Deployment apps/web"),
    );
  });

  it("validates what the Kubernetes SDK actually records", async () => {
    const rec = await recordProgram(() => {
      new k8s.apps.v1.Deployment("web", deployment() as k8s.apps.v1.DeploymentArgs);
      new k8s.apiextensions.CustomResource("chat", httpRoute());
      new k8s.core.v1.Secret("token", {
        metadata: { name: "token", namespace: "apps" },
        stringData: { token: pulumi.secret("s3cr3t") },
      });
      new k8s.core.v1.Service("bad", {
        metadata: { name: "bad" },
        spec: { ports: [{ port: "80" as unknown as number }] },
      });
    });
    const problems = conformanceProblems(rec);
    assert.deepEqual(problems, ["Service bad: /spec/ports/0/port must be integer"]);
  });
});
