import { strict as assert } from "assert";
import { validateObjectMeta } from "../../conformance/objectMeta";

const deployment = (container: Record<string, unknown>, labels: Record<string, string> = { app: "web" }) => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "web", namespace: "apps", labels },
  spec: { template: { spec: { containers: [{ name: "web", image: "nginx:1.27.0", ...container }] } } },
});

describe("conformance: names, labels and containers as the API server validates them", () => {
  it("accepts a well-formed workload, Service and ClusterRole", () => {
    assert.deepEqual(
      validateObjectMeta(
        deployment({
          env: [
            { name: "npm_config_cache", value: "/tmp" },
            { name: "1PORT", value: "1" },
          ],
          ports: [{ name: "http", containerPort: 8080 }],
          resources: { requests: { cpu: "500m", memory: "1Gi" }, limits: { cpu: "1", memory: "1024Mi" } },
        }),
      ),
      [],
    );
    assert.deepEqual(
      validateObjectMeta({ kind: "Service", metadata: { name: "web", namespace: "apps" } }),
      [],
    );
    assert.deepEqual(validateObjectMeta({ kind: "ClusterRole", metadata: { name: "system:web" } }), []);
  });

  it("refuses bad names for their kind", () => {
    assert.deepEqual(validateObjectMeta({ kind: "Service", metadata: { name: "1web" } }), [
      'Service 1web: name "1web" must be a DNS-1035 label (lower case, starting with a letter, at most 63 characters)',
    ]);
    assert.deepEqual(validateObjectMeta({ kind: "Namespace", metadata: { name: "a.b" } }), [
      'Namespace a.b: name "a.b" must be a DNS-1123 label (at most 63 characters)',
    ]);
    assert.deepEqual(
      validateObjectMeta({ kind: "ConfigMap", metadata: { name: "Web", namespace: "Apps" } }),
      [
        'ConfigMap Apps/Web: name "Web" must be a DNS-1123 subdomain (at most 253 characters)',
        'ConfigMap Apps/Web: namespace "Apps" must be a DNS-1123 label',
      ],
    );
  });

  it("refuses bad labels, container and port names, env names and requests above limits", () => {
    const problems = validateObjectMeta(
      deployment(
        {
          name: "Web",
          env: [{ name: "A=B", value: "x" }],
          ports: [{ name: "prometheus-metrics", containerPort: 9090 }],
          resources: { requests: { cpu: "2" }, limits: { cpu: "1" } },
        },
        { "Example.com/app": "web", tier: "front end" },
      ),
    );
    assert.deepEqual(problems, [
      'Deployment apps/web: label key "Example.com/app": prefix "Example.com" is not a DNS subdomain',
      'Deployment apps/web: label "tier" has an invalid value "front end"',
      'Deployment apps/web: /spec/template/spec/containers/0/name "Web" must be a DNS-1123 label',
      'Deployment apps/web: /spec/template/spec/containers/0/env/0/name "A=B" is not a valid environment variable name',
      'Deployment apps/web: /spec/template/spec/containers/0/ports/0/name "prometheus-metrics" must be an IANA service name (at most 15 characters)',
      "Deployment apps/web: /spec/template/spec/containers/0/resources/requests/cpu 2 is above the limit 1",
    ]);
  });
});
