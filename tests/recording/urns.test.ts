import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { strict as assert } from "assert";
import type { Recording } from "../../recording/runtime";
import { one, recordProgram } from "../support/record";

/*
 * Recorded URNs are the engine's: a type is qualified by its parent's full qualified type, but not by the root
 * stack's (pulumi/pulumi pkg/resource/deploy/deployment.go generateURN). The SDK's createUrn follows the same
 * rule, so a URN it derives from a recorded parent must be the recorded URN of the child.
 */

const CONFIGMAP = "kubernetes:core/v1:ConfigMap";
const PROVIDER = "pulumi:providers:kubernetes";

/** A component holding the next component of `inner`, or, innermost, a provider and two ConfigMaps. */
class Nested extends pulumi.ComponentResource {
  /** URNs the SDK derives for this component's children from this component's recorded URN. */
  readonly derived: Record<string, pulumi.Output<string>>;

  constructor(type: string, name: string, inner: string[], opts?: pulumi.ComponentResourceOptions) {
    super(type, name, {}, opts);
    const [next, ...rest] = inner;
    if (next !== undefined) {
      const child = new Nested(next, `${name}-in`, rest, { parent: this });
      this.derived = { ...child.derived, [`${name}-in`]: pulumi.createUrn(`${name}-in`, next, this) };
    } else {
      const provider = new k8s.Provider(`${name}-k8s`, { kubeconfig: "{}" }, { parent: this });
      const map = new k8s.core.v1.ConfigMap(
        `${name}-map`,
        { metadata: { name: "leaf" } },
        { parent: this, provider, aliases: [{ name: `${name}-old-map` }] },
      );
      new k8s.core.v1.ConfigMap(
        `${name}-after`,
        { metadata: { name: "after" } },
        { parent: this, provider, dependsOn: [map] },
      );
      this.derived = {
        [`${name}-map`]: pulumi.createUrn(`${name}-map`, CONFIGMAP, this),
        [`${name}-k8s`]: pulumi.createUrn(`${name}-k8s`, PROVIDER, this),
      };
    }
    this.registerOutputs({});
  }
}

const PREFIX = "urn:pulumi:test::ai-platform::";
const CHAIN = "platform:test:Outer$platform:test:Middle$platform:test:Inner";

describe("recording: URNs follow the engine's rule", () => {
  let recording: Recording;
  before(async () => {
    recording = await recordProgram(() => {
      const outer = new Nested("platform:test:Outer", "outer", [
        "platform:test:Middle",
        "platform:test:Inner",
      ]);
      return { topLevel: pulumi.createUrn("outer", "platform:test:Outer"), derived: outer.derived };
    });
  });

  it("a top-level component is not qualified by the root stack", () => {
    const outer = one(recording, "platform:test:Outer", "outer");
    assert.equal(outer.urn, `${PREFIX}platform:test:Outer::outer`);
    assert.equal(outer.urn, recording.outputs["topLevel"]);
    assert.equal(outer.parent, `${PREFIX}pulumi:pulumi:Stack::ai-platform-test`);
    assert.equal(one(recording, "pulumi:pulumi:Stack", "ai-platform-test").urn, outer.parent);
  });

  it("a grandchild is qualified by its parent's full qualified type, in URNs, references and aliases", () => {
    assert.equal(one(recording, "platform:test:Inner", "outer-in-in").urn, `${PREFIX}${CHAIN}::outer-in-in`);
    const map = one(recording, CONFIGMAP, "outer-in-in-map");
    assert.equal(map.urn, `${PREFIX}${CHAIN}$${CONFIGMAP}::outer-in-in-map`);
    assert.equal(map.provider, `${PREFIX}${CHAIN}$${PROVIDER}::outer-in-in-k8s`);
    assert.deepEqual(map.options.aliases, [`${PREFIX}${CHAIN}$${CONFIGMAP}::outer-in-in-old-map`]);
    assert.deepEqual(one(recording, CONFIGMAP, "outer-in-in-after").dependencies, [map.urn]);
  });

  it("every URN the SDK derives from a recorded parent is the recorded URN", () => {
    const derived = Object.entries(recording.outputs["derived"] as Record<string, string>);
    assert.equal(derived.length, 4);
    const byName = new Map(recording.resources.map((r) => [r.name, r.urn]));
    for (const [name, urn] of derived) assert.equal(byName.get(name), urn, name);
  });
});
