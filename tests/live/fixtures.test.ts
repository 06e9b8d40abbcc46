import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import * as zlib from "zlib";
import { parseAllDocuments } from "yaml";
import { isRedacted } from "../../live/redact";
import { MANIFEST_FILE, SnapshotManifest } from "../../live/snapshot";

/*
 * The live-state fixtures of rooster (ArgoCD, talhelper, Terraform's BIG-IP objects) and homeops (Flux,
 * kgateway, helmfile's Cilium, cluster-template, external-dns, the locally managed tunnel) are snapshots: each
 * file in the format the upstream tool prints, checked here against the code that prints it.
 */

type Obj = Record<string, unknown>;

const ROOT = path.resolve(__dirname, "..", "fixtures", "live");
const STACKS = ["rooster", "homeops"];
const read = (stack: string, file: string) =>
  JSON.parse(fs.readFileSync(path.join(ROOT, stack, file), "utf8")) as Obj;

describe("live-state fixtures: upstream formats", () => {
  for (const stack of STACKS) {
    const manifest = read(stack, MANIFEST_FILE) as unknown as SnapshotManifest;

    describe(stack, () => {
      it("kubernetes/*.json are `kubectl get -o json` lists (kubernetes/kubectl@v0.36.3 pkg/cmd/get/get.go)", () => {
        for (const file of manifest.sources["kubernetes"]!.files) {
          const list = read(stack, file);
          assert.deepEqual(Object.keys(list).sort(), ["apiVersion", "items", "kind", "metadata"], file);
          assert.deepEqual(
            [list["apiVersion"], list["kind"], list["metadata"]],
            ["v1", "List", { resourceVersion: "" }],
            file,
          );
          for (const item of list["items"] as Obj[]) {
            assert.ok(
              typeof item["apiVersion"] === "string" && typeof item["kind"] === "string",
              `${file}: item without apiVersion/kind`,
            );
            const meta = item["metadata"] as Obj;
            assert.ok(typeof meta["name"] === "string" && typeof meta["uid"] === "string", file);
            for (const entry of (meta["managedFields"] ?? []) as Obj[])
              assert.equal(entry["fieldsType"], "FieldsV1", file);
          }
        }
      });

      it("Secrets hold hashes only, and Helm release records decode as Helm's driver stores them (helm/helm@v3.20.2 pkg/storage/driver/util.go)", () => {
        const secrets = read(stack, "kubernetes/secrets.json")["items"] as Obj[];
        const releases = secrets.filter((s) => s["type"] === "helm.sh/release.v1");
        assert.ok(releases.length > 0);
        for (const s of releases) {
          const labels = ((s["metadata"] as Obj)["labels"] ?? {}) as Record<string, string>;
          assert.equal(labels["owner"], "helm");
          assert.equal(
            (s["metadata"] as Obj)["name"],
            `sh.helm.release.v1.${labels["name"]}.v${labels["version"]}`,
          );
          const gz = Buffer.from(
            Buffer.from(String((s["data"] as Obj)["release"]), "base64").toString(),
            "base64",
          );
          assert.deepEqual([...gz.subarray(0, 3)], [0x1f, 0x8b, 0x08]);
          const release = JSON.parse(zlib.gunzipSync(gz).toString()) as Obj;
          assert.equal(release["name"], labels["name"]);
        }
        for (const s of secrets.filter((x) => x["type"] !== "helm.sh/release.v1"))
          for (const v of Object.values((s["data"] ?? {}) as Obj))
            assert.ok(isRedacted(v), `${String((s["metadata"] as Obj)["name"])} holds a value`);
      });

      it("talos/<node>/*.yaml are `talosctl get -o yaml` output (siderolabs/talos@v1.13.9 cmd/talosctl/cmd/talos/output/yaml.go)", () => {
        for (const [source, state] of Object.entries(manifest.sources).filter(([n]) =>
          n.startsWith("talos/"),
        )) {
          for (const file of state.files) {
            const docs = parseAllDocuments(fs.readFileSync(path.join(ROOT, stack, file), "utf8")).map(
              (d) => d.toJS() as Obj,
            );
            for (const doc of docs) {
              assert.deepEqual(Object.keys(doc), ["node", "metadata", "spec"], file);
              assert.ok(
                ["namespace", "type", "id", "version", "phase"].every((k) => k in (doc["metadata"] as Obj)),
                file,
              );
            }
            if (file.endsWith("machineconfig.yaml")) {
              const spec = docs[0]!["spec"];
              assert.equal(
                typeof spec,
                "string",
                `${source}: a MachineConfig spec is the configuration text`,
              );
              for (const secret of ["token", "key", "secret"]) {
                const values = [...String(spec).matchAll(new RegExp(`\\b${secret}: (\\S+)`, "g"))].map(
                  (m) => m[1]!,
                );
                for (const v of values)
                  assert.ok(
                    v === '""' || v === "{}" || isRedacted(v.replace(/^["']|["']$/g, "")),
                    `${file}: ${secret} ${v}`,
                  );
              }
            }
          }
        }
      });
    });
  }

  it("bigip/*.json are iControl REST collections (f5-common-python docs, endpoints/collection, subcollection)", () => {
    for (const file of fs.readdirSync(path.join(ROOT, "rooster", "bigip"))) {
      const answer = read("rooster", `bigip/${file}`);
      assert.match(String(answer["kind"]), /^tm:ltm:.*collectionstate$/, file);
      for (const item of answer["items"] as Obj[])
        assert.equal(item["fullPath"], `/${String(item["partition"])}/${String(item["name"])}`, file);
    }
    for (const pool of read("rooster", "bigip/ltm-pool.json")["items"] as Obj[]) {
      const members = pool["membersReference"] as Obj;
      assert.equal(members["isSubcollection"], true);
      for (const m of members["items"] as Obj[]) assert.match(String(m["name"]), /^[\d.]+:\d+$/);
    }
  });

  it("cloudflare/*.json are API v4 list envelopes (cloudflare/cloudflare-go@v0.116.0 cloudflare.go Response, ResultInfo)", () => {
    for (const file of ["dns_records.json", "tunnels.json"]) {
      const answer = read("homeops", `cloudflare/${file}`);
      assert.deepEqual([answer["success"], answer["errors"], answer["messages"]], [true, [], []]);
      const info = answer["result_info"] as Obj;
      assert.equal(info["total_count"], (answer["result"] as unknown[]).length);
    }
  });
});
