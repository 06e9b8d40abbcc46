import { z } from "zod";

/*
 * Extra Talos machine-configuration documents a stack carries (per role and per node): what
 * talhelper/cluster-template put into the live configuration and the program does not render (CoreDNS
 * disabled, bonds, disk encryption, certSANs, sysctls, kernel modules ...). Without them the first apply would
 * remove those settings, because an apply replaces the node's whole configuration
 * (siderolabs/terraform-provider-talos@v0.11.0 pkg/talos/talos_machine_configuration_apply_resource.go).
 * Each entry is one document: a v1alpha1 strategic-merge patch (`machine`/`cluster`) or a typed document
 * (`apiVersion` + `kind`, e.g. BondConfig). The tests validate every entry of both stacks against the Talos
 * v1.13.9 configuration schema, as they do for the program's own patches.
 */

const V1ALPHA1_KEYS = ["version", "debug", "persist", "machine", "cluster"];

const machineDocument = z.record(z.string(), z.unknown()).superRefine((doc, ctx) => {
  const typed = typeof doc["apiVersion"] === "string" && typeof doc["kind"] === "string";
  const stray = Object.keys(doc).filter((k) => !V1ALPHA1_KEYS.includes(k));
  if (!typed && (stray.length > 0 || Object.keys(doc).length === 0))
    ctx.addIssue({
      code: "custom",
      message:
        stray.length > 0
          ? `must be a v1alpha1 patch (machine, cluster) or a typed document (apiVersion, kind); unexpected ${stray.join(", ")}`
          : "must not be empty",
    });
});

/** A list of extra machine-configuration documents. */
export const machinePatches = z.array(machineDocument).default([]);
