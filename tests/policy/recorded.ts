import { manifestOf } from "../../recording/manifests";
import type { Recording } from "../../recording/runtime";
import { isHelmType } from "../../policy/objects";
import type { PolicySubject } from "../../policy/rules";

/**
 * What the pack is given for a recorded stack: every custom resource (Kubernetes objects as manifests) and the
 * helm.sh/v4 Chart components, whose inputs carry the chart, namespace and values the pack judges.
 */
export function subjectsOfRecording(recording: Recording): PolicySubject[] {
  return recording.resources
    .filter((r) => r.custom || isHelmType(r.type))
    .map((r) => ({
      urn: r.urn,
      type: r.type,
      name: r.name,
      props: r.type.startsWith("kubernetes:") && !isHelmType(r.type) ? manifestOf(r) : r.inputs,
      protect: r.options.protect,
    }));
}
