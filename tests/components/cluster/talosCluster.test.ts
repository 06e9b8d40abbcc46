import { strict as assert } from "assert";
import { talosValidator } from "../../../conformance/talos";
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import * as talos from "../../../components/talos";
import {
  ciliumCniPatch,
  controlPlaneVipPatch,
  hostnamePatch,
  installPatch,
  linkAliasPatch,
  longhornMountsPatch,
  nodePatches,
  rolePatches,
  schematicYaml,
  serializePatch,
  staticLinkPatch,
  talosContract,
} from "../../../components/cluster/talosPatches";
import { plugins } from "../../../lib/versions";
import { listStacks, rawConfigOf, readStackFile } from "../../../recording/stackFile";
import { loadPlatformConfig } from "../../../stacks/load";
import type { TalosNodeConfig } from "../../../stacks/schema";
import { schemasDir, validateProviderInvoke, validateProviderResource } from "../../../conformance";
import { describeWithSchemas } from "../../support/schemas";
import { platformConfig, talosCluster, talosNode } from "../../support/builders";
import { byType, recordProgram } from "../../support/record";
import { talosOn } from "../../support/layers";

const clientConfiguration = { caCertificate: "ca", clientCertificate: "cert", clientKey: "key" };

/** One registration of every bound resource and one call of every bound function. */
let bindings: ReturnType<typeof recordProgram> | undefined;
function recordBindings() {
  bindings ??= recordProgram(() => {
    const secrets = new talos.machine.Secrets("secrets", { talosVersion: "v1.13" });
    const schematic = new talos.imagefactory.Schematic("schematic", {
      schematic: schematicYaml(["siderolabs/iscsi-tools"]),
    });
    const urls = talos.imagefactory.getUrlsOutput({
      schematicId: schematic.id,
      talosVersion: "v1.13.9",
      platform: "metal",
    });
    const config = talos.machine.getConfigurationOutput({
      clusterName: "c",
      clusterEndpoint: "https://10.0.0.10:6443",
      machineType: "controlplane",
      machineSecrets: secrets.machineSecrets,
      talosVersion: "v1.13.9",
      kubernetesVersion: "1.36.3",
    });
    const apply = new talos.machine.ConfigurationApply("apply", {
      node: "10.0.0.11",
      clientConfiguration: secrets.clientConfiguration,
      machineConfigurationInput: config.machineConfiguration,
      configPatches: [urls.urls.installer],
    });
    const bootstrap = new talos.machine.Bootstrap(
      "bootstrap",
      { node: "10.0.0.11", clientConfiguration: secrets.clientConfiguration },
      { dependsOn: [apply] },
    );
    const kubeconfig = new talos.cluster.Kubeconfig(
      "kubeconfig",
      { node: "10.0.0.11", clientConfiguration: secrets.clientConfiguration },
      { dependsOn: [bootstrap] },
    );
    const talosconfig = talos.client.getConfigurationOutput({
      clusterName: "c",
      clientConfiguration,
      endpoints: ["10.0.0.11"],
    });
    return {
      kubeconfig: kubeconfig.kubeconfigRaw,
      talosconfig: talosconfig.talosConfig,
      machineConfig: config.machineConfiguration,
      installer: urls.urls.installer,
    };
  });
  return bindings;
}

interface SchemaProperty {
  secret?: boolean;
  $ref?: string;
}
interface ProviderSchema {
  resources: Record<string, { properties: Record<string, SchemaProperty> }>;
  types: Record<string, { properties?: Record<string, SchemaProperty> }>;
}

/** Output properties that are secret, or objects with a secret field somewhere inside, per the schema. */
function secretBearing(schema: ProviderSchema, token: string): string[] {
  const typeHasSecret = (ref: string | undefined, seen: Set<string>): boolean => {
    if (ref === undefined) return false;
    const name = decodeURIComponent(ref.replace(/^#\/?types\//, ""));
    if (seen.has(name)) return false;
    seen.add(name);
    return Object.values(schema.types[name]?.properties ?? {}).some(
      (p) => p.secret === true || typeHasSecret(p.$ref, seen),
    );
  };
  return Object.entries(schema.resources[token]!.properties)
    .filter(([, p]) => p.secret === true || typeHasSecret(p.$ref, new Set()))
    .map(([name]) => name)
    .sort();
}

const TOKENS = [
  "talos:machine/secrets:Secrets",
  "talos:machine/configurationApply:ConfigurationApply",
  "talos:machine/bootstrap:Bootstrap",
  "talos:cluster/kubeconfig:Kubeconfig",
  "talos:imageFactory/schematic:Schematic",
];
const FUNCTIONS = [
  "talos:machine/getConfiguration:getConfiguration",
  "talos:client/getConfiguration:getConfiguration",
  "talos:imageFactory/getUrls:getUrls",
];

describe("talos bindings", () => {
  it("register every resource and invoke with the pinned plugin version and download URL", async () => {
    const rec = await recordBindings();
    assert.equal(plugins.talos.version, "0.8.1");
    assert.equal(plugins.talos.pluginDownloadURL, "github://api.github.com/pulumiverse");
    for (const token of TOKENS) {
      const found = byType(rec, token);
      assert.equal(found.length, 1, token);
      assert.equal(found[0]!.options.version, "0.8.1", token);
      assert.equal(found[0]!.options.pluginDownloadURL, "github://api.github.com/pulumiverse", token);
    }
    assert.deepEqual([...new Set(rec.invokes.map((i) => i.token))].sort(), [...FUNCTIONS].sort());
    for (const invoke of rec.invokes) {
      assert.equal(invoke.version, "0.8.1", invoke.token);
      assert.equal(invoke.pluginDownloadURL, "github://api.github.com/pulumiverse", invoke.token);
    }
  });

  it("mark secret inputs and the secret outputs of the program", async () => {
    const rec = await recordBindings();
    const apply = byType(rec, "talos:machine/configurationApply:ConfigurationApply")[0]!;
    assert.deepEqual(apply.secretPaths.sort(), ["clientConfiguration", "machineConfigurationInput"]);
    const kubeconfig = byType(rec, "talos:cluster/kubeconfig:Kubeconfig")[0]!;
    assert.deepEqual(kubeconfig.secretPaths, ["clientConfiguration"]);
    // Secret results of invokes and resources stay secret up to the stack outputs.
    assert.deepEqual(rec.outputSecretPaths.sort(), ["kubeconfig", "machineConfig", "talosconfig"]);
    // The recorded schematic ID is content-addressed like Image Factory's.
    const schematicId = createHash("sha256")
      .update(schematicYaml(["siderolabs/iscsi-tools"]))
      .digest("hex");
    assert.equal(rec.outputs["installer"], `factory.talos.dev/metal-installer/${schematicId}:v1.13.9`);
    // No secret placeholder reaches a resource's recorded inputs.
    const inputs = JSON.stringify(rec.resources.map((r) => r.inputs));
    for (const value of rec.secretValues) assert.ok(!inputs.includes(value), value);
  });
});

describeWithSchemas("talos bindings: provider schema conformance", () => {
  const schema = () =>
    JSON.parse(
      fs.readFileSync(path.join(schemasDir()!, "providers", "talos-0.8.1.json"), "utf8"),
    ) as ProviderSchema;

  it("send only known inputs, with every required one", async () => {
    const rec = await recordBindings();
    for (const r of rec.resources.filter((x) => x.type.startsWith("talos:")))
      assert.deepEqual(validateProviderResource(r.type, r.inputs), [], r.name);
    for (const i of rec.invokes) assert.deepEqual(validateProviderInvoke(i.token, i.args), [], i.token);
  });

  it("the conformance check fails on an unknown or missing input", () => {
    assert.deepEqual(validateProviderResource("talos:cluster/kubeconfig:Kubeconfig", { node: "n" }), [
      'talos:cluster/kubeconfig:Kubeconfig: required input "clientConfiguration" is missing',
    ]);
    assert.equal(
      validateProviderInvoke("talos:imageFactory/getUrls:getUrls", {
        schematicId: "x",
        talosVersion: "v1",
        arch: "amd64",
      }).length,
      1,
    );
  });

  it("list every secret-bearing output of the schema in additionalSecretOutputs", async () => {
    const rec = await recordBindings();
    const s = schema();
    for (const token of TOKENS) {
      const registered = byType(rec, token)[0]!.options.additionalSecretOutputs;
      for (const name of secretBearing(s, token))
        assert.ok(registered.includes(name), `${token}: ${name} is not marked secret`);
    }
    assert.deepEqual(secretBearing(s, "talos:machine/secrets:Secrets"), [
      "clientConfiguration",
      "machineSecrets",
    ]);
  });
});

// ---------------------------------------------------------------- machine-configuration patches

/** A control plane and a labelled worker on static links. */
const twoNodes = () =>
  talosOn(
    platformConfig(
      talosCluster({
        nodes: [
          talosNode(11, { interface: "ens18" }),
          talosNode(12, {
            interface: "ens18",
            controller: false,
            labels: { "node-role.kubernetes.io/worker": "" },
          }),
        ],
      }),
    ),
  );
// Stack-wide conformance: the production stacks' own patches and node shapes.
const stack = (name: string) => loadPlatformConfig(rawConfigOf(readStackFile(name)));
const INSTALLER = "factory.talos.dev/metal-installer/abc:v1.13.9";

describe("talos patches", () => {
  it("build the schematic from the declared extensions, sorted and unique", () => {
    const text = schematicYaml([
      "siderolabs/util-linux-tools",
      "siderolabs/iscsi-tools",
      "siderolabs/iscsi-tools",
    ]);
    assert.deepEqual(parse(text), {
      customization: {
        systemExtensions: { officialExtensions: ["siderolabs/iscsi-tools", "siderolabs/util-linux-tools"] },
      },
    });
    assert.equal(text, schematicYaml(["siderolabs/iscsi-tools", "siderolabs/util-linux-tools"]));
  });

  it("choose the install disk by path, serial or selector", () => {
    assert.deepEqual(installPatch({ path: "/dev/sda" }, INSTALLER), {
      machine: { install: { disk: "/dev/sda", image: INSTALLER } },
    });
    assert.deepEqual(installPatch({ serial: "S6S1" }, INSTALLER), {
      machine: { install: { diskSelector: { serial: "S6S1" }, image: INSTALLER } },
    });
    assert.deepEqual(installPatch({ selector: { type: "nvme", size: ">= 500GB" } }, INSTALLER), {
      machine: { install: { diskSelector: { type: "nvme", size: ">= 500GB" }, image: INSTALLER } },
    });
  });

  it("set a static hostname with automatic naming off, and static addressing with the network's prefix", () => {
    assert.deepEqual(hostnamePatch("rooster-01"), {
      apiVersion: "v1alpha1",
      kind: "HostnameConfig",
      hostname: "rooster-01",
      auto: "off",
    });
    assert.deepEqual(staticLinkPatch("ens18", "172.16.10.130", "172.16.10.0/24", "172.16.10.1"), {
      apiVersion: "v1alpha1",
      kind: "LinkConfig",
      name: "ens18",
      up: true,
      addresses: [{ address: "172.16.10.130/24" }],
      routes: [{ gateway: "172.16.10.1" }],
    });
    assert.deepEqual(linkAliasPatch("lan0", "58:47:ca:70:1a:01").selector, {
      match: 'mac(link.permanent_addr) == "58:47:ca:70:1a:01"',
    });
  });

  it("give control planes the VIP and workers not", () => {
    const t = twoNodes();
    const kinds = (node: TalosNodeConfig) =>
      nodePatches(t, node, INSTALLER).map((d) => String(d["kind"] ?? Object.keys(d)[0]));
    const [cp, worker] = t.nodes;
    assert.deepEqual(kinds(cp!), ["machine", "HostnameConfig", "LinkConfig", "Layer2VIPConfig"]);
    assert.deepEqual(kinds(worker!), ["machine", "HostnameConfig", "LinkConfig", "machine"]);
    assert.deepEqual(nodePatches(t, cp!, INSTALLER)[3], controlPlaneVipPatch("10.0.0.10", "ens18"));
    assert.deepEqual(nodePatches(t, worker!, INSTALLER)[3], {
      machine: { nodeLabels: { "node-role.kubernetes.io/worker": "" } },
    });
  });

  it("add Cilium and Longhorn prerequisites only when those layers are on", () => {
    const t = twoNodes();
    const withAll = rolePatches(t, "worker", { ciliumCni: true, longhornDataPath: "/var/lib/longhorn/" });
    const without = rolePatches(t, "worker", { ciliumCni: false });
    assert.ok(withAll.some((d) => JSON.stringify(d) === JSON.stringify(ciliumCniPatch())));
    assert.ok(
      withAll.some((d) => JSON.stringify(d) === JSON.stringify(longhornMountsPatch("/var/lib/longhorn/"))),
    );
    assert.ok(
      !without.some((d) => JSON.stringify(d).includes('"cni"') || JSON.stringify(d).includes("extraMounts")),
    );
    assert.deepEqual(ciliumCniPatch(), {
      cluster: { network: { cni: { name: "none" } }, proxy: { disabled: true } },
    });
    assert.deepEqual(longhornMountsPatch("/var/lib/longhorn/"), {
      machine: {
        kubelet: {
          extraMounts: [
            {
              destination: "/var/lib/longhorn",
              type: "bind",
              source: "/var/lib/longhorn",
              options: ["bind", "rshared", "rw"],
            },
          ],
        },
      },
    });
    assert.equal(
      longhornMountsPatch("/data/longhorn").machine &&
        (longhornMountsPatch("/data/longhorn") as { machine: { kubelet: { extraMounts: unknown[] } } })
          .machine.kubelet.extraMounts.length,
      2,
    );
    const cpOnly = (docs: object[]) =>
      docs.filter((d) => JSON.stringify(d).includes("etcd") || JSON.stringify(d).includes("allowScheduling"));
    assert.equal(cpOnly(rolePatches(t, "controlplane", { ciliumCni: true })).length, 2);
    assert.equal(cpOnly(rolePatches(t, "worker", { ciliumCni: true })).length, 0);
  });

  it("serialise as JSON documents that are never read as file names", () => {
    for (const doc of rolePatches(twoNodes(), "controlplane", { ciliumCni: true })) {
      const text = serializePatch(doc);
      assert.ok(text.startsWith("{"), text);
      assert.deepEqual(JSON.parse(text), doc);
    }
    assert.equal(talosContract("v1.13.9"), "v1.13");
  });
});

describeWithSchemas("talos patches: machine-configuration schema (Talos v1.13.9)", () => {
  const validator = talosValidator;

  it("every role and node patch of every Talos stack (and of a small cluster) is a valid configuration document", () => {
    const validate = validator();
    const stacks = listStacks()
      .map(stack)
      .filter((c) => c.cluster.talos.enabled);
    for (const t of [twoNodes(), ...stacks.map(talosOn)]) {
      const docs = [
        ...rolePatches(t, "controlplane", { ciliumCni: true, longhornDataPath: "/data/longhorn" }),
        ...rolePatches(t, "worker", { ciliumCni: true }),
        ...t.nodes.flatMap((n) => nodePatches(t, n, INSTALLER)),
      ];
      for (const doc of docs)
        assert.ok(validate(doc), `${JSON.stringify(doc)}: ${JSON.stringify(validate.errors?.slice(0, 3))}`);
    }
  });

  it("rejects deprecated or misspelled fields", () => {
    const validate = validator();
    assert.ok(!validate({ machine: { network: { hostname: "x" } } }), "machine.network is hidden in v1.13");
    assert.ok(
      !validate({
        apiVersion: "v1alpha1",
        kind: "LinkConfig",
        name: "eth0",
        addresses: [{ address: "10.0.0.1" }],
      }),
      "prefix length required",
    );
    assert.ok(!validate({ machine: { install: { disk: "/dev/sda", diskselector: { serial: "x" } } } }));
  });
});
