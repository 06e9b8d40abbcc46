import { strict as assert } from "assert";
import type { RecordedResource, Recording } from "../../recording/runtime";
import { configPathOf, namedEntries, planConformance } from "../../scripts/conformance";
import { validateCustomResource } from "../../conformance";
import { describeWithSchemas } from "../support/schemas";
import { applyDefaults, celViolations, parseQuantityValue, rewriteHas } from "../../conformance/cel";

const route = (rule: Record<string, unknown>) => ({
  apiVersion: "gateway.networking.k8s.io/v1",
  kind: "HTTPRoute",
  metadata: { name: "chat", namespace: "agentgateway-system" },
  spec: {
    parentRefs: [{ name: "ai-gateway" }],
    rules: [{ backendRefs: [{ name: "llm", port: 8080 }], ...rule }],
  },
});

describe("conformance: CEL rules", () => {
  it("parses Kubernetes quantities like the API server", () => {
    assert.equal(parseQuantityValue("16Ki"), 16384);
    assert.equal(parseQuantityValue("500m"), 0.5);
    assert.equal(parseQuantityValue("1e3"), 1000);
    assert.equal(parseQuantityValue("1.5G"), 1.5e9);
    for (const bad of ["", "1.5.0", "12 Mi", "Mi", "1KB"])
      assert.equal(parseQuantityValue(bad), undefined, bad);
  });

  it("rewrites has() on an indexed receiver to key presence", () => {
    assert.equal(
      rewriteHas("has(self.a) && !has(self.m[0].path) && has(f(x).y)"),
      "has(self.a) && !('path' in self.m[0]) && ('y' in f(x))",
    );
  });

  it("fills schema defaults of absent fields before rules run", () => {
    const schema = {
      type: "object",
      properties: {
        mode: { type: "string", default: "auto" },
        list: {
          type: "array",
          items: { type: "object", properties: { n: { type: "integer", default: 1 } } },
        },
      },
    };
    assert.deepEqual(applyDefaults(schema, { list: [{}, { n: 5 }] }), {
      mode: "auto",
      list: [{ n: 1 }, { n: 5 }],
    });
  });

  it("evaluates rules with self at their node, Kubernetes functions included", () => {
    const schema = {
      type: "object",
      properties: {
        size: {
          type: "string",
          "x-kubernetes-validations": [
            { rule: "!quantity(self).isLessThan(quantity('16Ki'))", message: "at least 16Ki" },
          ],
        },
        every: { type: "string", "x-kubernetes-validations": [{ rule: "duration(self) >= duration('1s')" }] },
        items: {
          type: "array",
          items: {
            type: "object",
            properties: { n: { type: "integer" } },
            "x-kubernetes-validations": [{ rule: "self.n > 0", fieldPath: ".n" }],
          },
        },
        host: {
          type: "string",
          "x-kubernetes-validations": [{ rule: "matches(self, '^[a-z.]+$')", message: "lower-case host" }],
        },
        previous: { type: "string", "x-kubernetes-validations": [{ rule: "self == oldSelf" }] },
      },
    };
    assert.deepEqual(
      celViolations("X x", schema, {
        size: "16384",
        every: "1s",
        items: [{ n: 2 }],
        host: "a.b",
        previous: "a",
      }),
      [],
    );
    assert.deepEqual(
      celViolations("X x", schema, { size: "1Ki", every: "500ms", items: [{ n: 2 }, { n: 0 }], host: "A" }),
      [
        "X x: /size at least 16Ki",
        "X x: /every failed rule: duration(self) >= duration('1s')",
        "X x: /items/1.n failed rule: self.n > 0",
        "X x: /host lower-case host",
      ],
    );
  });

  it("does not judge a rule whose subject is a secret or unknown stand-in", () => {
    const schema = {
      type: "object",
      "x-kubernetes-validations": [{ rule: "self.a == 'x'" }],
      properties: { a: { type: "string" } },
    };
    assert.deepEqual(celViolations("X x", schema, { a: "[secret]" }), []);
    assert.deepEqual(celViolations("X x", schema, { a: "y" }), ["X x: / failed rule: self.a == 'x'"]);
  });
});

describeWithSchemas("conformance: CEL rules of the upstream CRDs", () => {
  it("refuses an HTTPRoute prefix rewrite with two matches", () => {
    const rewrite = {
      type: "URLRewrite",
      urlRewrite: { path: { type: "ReplacePrefixMatch", replacePrefixMatch: "/" } },
    };
    const one = [{ path: { type: "PathPrefix", value: "/v1" } }];
    assert.deepEqual(validateCustomResource(route({ matches: one, filters: [rewrite] })), []);
    assert.deepEqual(
      validateCustomResource(
        route({ matches: [...one, { path: { type: "PathPrefix", value: "/v2" } }], filters: [rewrite] }),
      ),
      [
        "HTTPRoute agentgateway-system/chat: /spec/rules/0 When using URLRewrite filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified",
      ],
    );
  });

  it("refuses a backend request timeout above the request timeout", () => {
    assert.deepEqual(
      validateCustomResource(route({ timeouts: { request: "10s", backendRequest: "5s" } })),
      [],
    );
    const problems = validateCustomResource(route({ timeouts: { request: "5s", backendRequest: "10s" } }));
    assert.equal(problems.length, 1);
    assert.match(
      problems[0]!,
      /^HTTPRoute agentgateway-system\/chat: \/spec\/rules\/0\/timeouts backendRequest timeout cannot be longer than request timeout/,
    );
  });
});

describe("plan: conformance findings name the config entry", () => {
  const entries = namedEntries({
    mcp: { servers: [{ name: "everything" }, { name: "slack" }] },
    agentgateway: { gateways: [{ name: "mcp-gateway-proxy" }] },
  });

  it("finds the longest config name inside the object's or its components' names", () => {
    assert.equal(configPathOf(["everything"], entries), "mcp.servers[0]");
    assert.equal(
      configPathOf(["mcp-gateway-proxy-params", "ai-gateway"], entries),
      "agentgateway.gateways[0]",
    );
    assert.equal(configPathOf(["unrelated", "mcp-slack"], entries), "mcp.servers[1]");
    assert.equal(configPathOf(["slackbot"], entries), undefined);
  });

  describeWithSchemas("against the schemas", () => {
    it("prefixes each violation with its config path", () => {
      const bad = route({
        matches: [
          { path: { type: "PathPrefix", value: "/a" } },
          { path: { type: "PathPrefix", value: "/b" } },
        ],
        filters: [
          {
            type: "URLRewrite",
            urlRewrite: { path: { type: "ReplacePrefixMatch", replacePrefixMatch: "/" } },
          },
        ],
      });
      bad.metadata.name = "everything";
      const resource: RecordedResource = {
        urn: "urn:pulumi:s::ai-platform::kubernetes:gateway.networking.k8s.io/v1:HTTPRoute::mcp-everything-route",
        type: "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute",
        name: "mcp-everything-route",
        custom: true,
        parent: "",
        provider: "",
        providers: {},
        dependencies: [],
        propertyDependencies: {},
        options: {} as RecordedResource["options"],
        inputs: bad,
        secretPaths: [],
      };
      const recording: Recording = {
        project: "ai-platform",
        stack: "s",
        resources: [resource],
        invokes: [],
        outputs: {},
        outputSecretPaths: [],
        secretValues: [],
      };
      assert.deepEqual(
        planConformance(recording, {
          values: { mcp: { servers: [{ name: "everything" }] } },
          secretKeys: new Set(),
        }),
        [
          "ai-platform:mcp.servers[0]: HTTPRoute agentgateway-system/everything: /spec/rules/0 When using URLRewrite filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified",
        ],
      );
    });
  });
});
