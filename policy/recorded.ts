import { manifestOf } from "../recording/manifests";
import type { Recording } from "../recording/runtime";
import type { PolicySubject } from "./rules";

/** The custom resources of a recorded stack as policy subjects (Kubernetes objects as manifests). */
export function subjectsOfRecording(recording: Recording): PolicySubject[] {
  return recording.resources
    .filter((r) => r.custom)
    .map((r) => ({
      urn: r.urn,
      type: r.type,
      name: r.name,
      props: r.type.startsWith("kubernetes:") ? manifestOf(r) : r.inputs,
      protect: r.options.protect,
    }));
}
