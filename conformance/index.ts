import type { RecordedResource, Recording } from "../recording/runtime";
import { isKubernetesObject, manifestOf } from "../recording/manifests";
import { CORE_GROUPS, validateCoreObject } from "./core";
import { validateCustomResource } from "./crd";
import { validateObjectMeta } from "./objectMeta";
import { SCHEMAS_ENV, splitApiVersion } from "./paths";
import {
  checkPluginVersion,
  packageOf,
  PROVIDER_PACKAGES,
  validateProviderInvoke,
  validateProviderResource,
} from "./providers";

export { isKubernetesObject, manifestOf } from "../recording/manifests";
export { CORE_GROUPS, validateCoreObject } from "./core";
export { closeSchema, validateCustomResource } from "./crd";
export { SCHEMAS_ENV, schemasDir } from "./paths";
export {
  checkPluginVersion,
  providerSchemaVersion,
  validateProviderInvoke,
  validateProviderResource,
} from "./providers";

/** Message of the test that stands in for a suite when the upstream schemas are not available. */
export function missingSchemasMessage(): string {
  const configured = process.env[SCHEMAS_ENV];
  const where = configured !== undefined && configured !== "" ? ` (${SCHEMAS_ENV}=${configured})` : "";
  return `schema directory not found${where}: set ${SCHEMAS_ENV} to the upstream schemas (shared/schemas) to run these conformance tests`;
}

function isProviderPackage(token: string): boolean {
  return (PROVIDER_PACKAGES as readonly string[]).includes(packageOf(token));
}

/** A conformance problem and the recorded resource it was found on (none for an invoke). */
export interface ConformanceFinding {
  resource?: RecordedResource;
  problem: string;
}

/** Every conformance finding of a recording: Kubernetes objects, provider resources, invokes, plugin versions. */
export function conformanceFindings(recording: Recording): ConformanceFinding[] {
  const findings: ConformanceFinding[] = [];
  for (const r of recording.resources) {
    const problems: string[] = [];
    if (isKubernetesObject(r)) {
      const manifest = manifestOf(r);
      const { group } = splitApiVersion(String(manifest["apiVersion"] ?? ""));
      problems.push(
        ...(CORE_GROUPS.has(group) ? validateCoreObject(manifest) : validateCustomResource(manifest)),
        ...validateObjectMeta(manifest),
      );
    } else if (r.custom && isProviderPackage(r.type)) {
      const found = [
        ...validateProviderResource(r.type, r.inputs),
        ...checkPluginVersion(r.type, r.options.version),
      ];
      problems.push(...found.map((p) => `${r.name}: ${p}`));
    }
    findings.push(...problems.map((problem) => ({ resource: r, problem })));
  }
  for (const invoke of recording.invokes) {
    if (!isProviderPackage(invoke.token)) continue;
    findings.push(
      ...[
        ...validateProviderInvoke(invoke.token, invoke.args),
        ...checkPluginVersion(invoke.token, invoke.version),
      ].map((problem) => ({ problem })),
    );
  }
  return findings;
}

/** Every conformance problem of a recording, once each. */
export function conformanceProblems(recording: Recording): string[] {
  return [...new Set(conformanceFindings(recording).map((f) => f.problem))];
}

/** CRD groups the schema directory does not ship; these objects' shapes are unit-tested in their layer. */
export const UNSHIPPED_CRD_GROUPS = ["cilium.io/"];

/** Whether a problem only says that the CRD of an unshipped group is missing. */
export function isUnshippedCrd(problem: string): boolean {
  return UNSHIPPED_CRD_GROUPS.some((g) => problem.includes(`no CRD for ${g}`));
}

/** Throws one Error listing every conformance problem of the recording. */
export function assertConforms(recording: Recording): void {
  const problems = conformanceProblems(recording);
  if (problems.length > 0) {
    throw new Error(
      `${recording.stack}: ${problems.length} conformance problem(s):\n- ${problems.join("\n- ")}`,
    );
  }
}
