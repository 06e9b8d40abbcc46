import { strict as assert } from "assert";
import { ImageKey, images } from "../../lib/versions";
import { imageKey } from "../../stacks/fields";
import { UNPUBLISHED } from "../../stacks/images";
import type { TenantWorkloadConfig } from "../../stacks/schema";
import { configIssues, tenant, tenantsConfig, tenantWorkload } from "../support/builders";

type IsExactly<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

describe("config fields: image keys of the version catalog", () => {
  it("accepts exactly the catalog's keys", () => {
    for (const key of Object.keys(images)) assert.ok(imageKey.safeParse(key).success, key);
    assert.equal(imageKey.safeParse("a1McpGatway").success, false);
    assert.equal(imageKey.safeParse("").success, false);
  });

  it("is an enum of the catalog's keys, so the parsed type is their union", () => {
    assert.deepEqual(imageKey.options, Object.keys(images));
    // Fails to type-check when the parsed image is a plain string.
    const union: IsExactly<TenantWorkloadConfig["image"], ImageKey> = true;
    assert.ok(union);
  });

  it("a tenant naming an unpublished image is told what to name instead", () => {
    // Typed as a catalog key so that a key outside the catalog reaches validation, as a stack file's would.
    const withImage = (image: string) =>
      configIssues(
        tenantsConfig([
          tenant("team-a", { workloads: [tenantWorkload("api", { image: image as ImageKey })] }),
        ]),
      );
    assert.deepEqual(withImage("a1McpConfig"), []);
    assert.deepEqual(withImage("mcpExcalidraw"), [
      `ai-platform:tenants.items[0].workloads[0].image: unknown image "mcpExcalidraw" (hint: ${UNPUBLISHED["mcpExcalidraw"]})`,
    ]);
  });
});
