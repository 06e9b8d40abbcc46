import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { SnapshotManifest } from "../../live/snapshot";
import { runNpm } from "../support/commands";
import {
  cloudflareApi,
  kubernetesApi,
  serve,
  talosctlStandIn,
  writeKubeconfig,
} from "../support/liveServers";

describe("`npm run snapshot`", () => {
  it("reads homeops's sources with the operator's credentials and says per source how it went; the preflight --live too", async function () {
    this.timeout(180_000);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "snapshot-cli-"));
    const kube = await serve(
      kubernetesApi([{ apiVersion: "v1", kind: "Namespace", metadata: { name: "ai-system" } }], "tok"),
    );
    const cloudflare = await serve(
      cloudflareApi({ zones: [{ id: "z1", name: "sklab.dev" }], dnsRecords: { z1: [] }, tunnels: {} }, "cf"),
    );
    const outputs = path.join(dir, "talos");
    for (const address of ["10.50.0.11", "10.50.0.12"]) {
      fs.mkdirSync(path.join(outputs, address), { recursive: true });
      for (const r of ["machineconfig", "version", "extensions"])
        fs.writeFileSync(
          path.join(outputs, address, `${r}.yaml`),
          `node: ${address}\nmetadata: {id: ${r}}\nspec: {}\n`,
        );
    }
    const bin = talosctlStandIn(outputs);
    try {
      const env = {
        ...process.env,
        PATH: `${bin}${path.delimiter}${process.env["PATH"]}`,
        KUBECONFIG: writeKubeconfig(dir, kube.url, "tok"),
        CLOUDFLARE_API_TOKEN: "cf",
        CLOUDFLARE_ACCOUNT_ID: "acct",
        CLOUDFLARE_BASE_URL: `${cloudflare.url}/client/v4`,
      };
      const run = await runNpm(["snapshot", "--", "homeops", "--out", path.join(dir, "snap")], env);
      // home-03 has no stand-in output: that source fails, the others are written.
      assert.equal(run.status, 1, run.stderr);
      const manifest = JSON.parse(
        fs.readFileSync(path.join(dir, "snap", "snapshot.json"), "utf8"),
      ) as SnapshotManifest;
      assert.deepEqual(Object.fromEntries(Object.entries(manifest.sources).map(([n, s]) => [n, s.status])), {
        kubernetes: "ok",
        "talos/home-01": "ok",
        "talos/home-02": "ok",
        "talos/home-03": "failed",
        cloudflare: "ok",
      });
      for (const source of ["kubernetes", "talos/home-01", "talos/home-03", "cloudflare"])
        assert.match(run.stdout, new RegExp(`^  ${source}: `, "m"));
      assert.match(run.stderr, /1 source\(s\) failed: talos\/home-03/);
      assert.ok(kube.requests.every((r) => r.method === "GET"));

      // `npm run preflight -- --live` takes the same snapshot into a private temporary directory first.
      const out = path.join(dir, "out");
      const preflight = await runNpm(["preflight", "--", "homeops", "--live"], { ...env, PLAN_OUT_DIR: out });
      assert.equal(preflight.status, 1, preflight.stderr);
      assert.match(preflight.stdout, /^homeops: snapshot of the live state$/m);
      assert.match(preflight.stdout, /^ {2}talos\/home-03: FAILED: /m);
      assert.match(preflight.stdout, /BLOCKER talos Talos node home-03 \(10\.50\.0\.13\): not read/);
      assert.ok(fs.existsSync(path.join(out, "homeops", "preflight.md")));
    } finally {
      await kube.close();
      await cloudflare.close();
      fs.rmSync(bin, { recursive: true, force: true });
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
