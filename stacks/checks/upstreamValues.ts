import { z } from "zod";
import { rustRegexProblem } from "./guards";

/*
 * Values handed to upstream components in the form each one parses, so that a mistake fails the plan instead of
 * the component at run time.
 */

/**
 * A partition where Talos wants a whole disk: the installer writes its own GPT partition table onto
 * `machine.install.disk` (siderolabs/talos@v1.13.9 cmd/installer/pkg/install/install.go: `gpt.New` on the device,
 * after refusing a disk that is not empty), so `/dev/sda1`, `/dev/nvme0n1p2` or a `by-id/...-part1` link name the
 * wrong thing.
 */
export function partitionProblem(path: string): { message: string; hint: string } | undefined {
  const m =
    /^(\/dev\/(?:sd|vd|xvd|hd)[a-z]+)\d+$/.exec(path) ??
    /^(\/dev\/(?:nvme\d+n\d+|mmcblk\d+|loop\d+|nbd\d+))p\d+$/.exec(path) ??
    /^(\/dev\/disk\/by-[a-z]+\/.+)-part\d+$/.exec(path);
  return m === null
    ? undefined
    : { message: `${path} is a partition; Talos installs to a whole disk`, hint: `use ${m[1]}` };
}

/**
 * Cilium compiles each L2 announcement interface with Go's regexp (RE2) and drops the whole policy when one does
 * not compile (cilium/cilium pkg/l2announcer/l2announcer.go: `regexp.Compile(strRegex)`, status
 * io.cilium/bad-interface-regex). RE2 refuses what the Rust regex crate refuses: look-around, back-references,
 * atomic groups, possessive quantifiers.
 */
export function goRegexProblem(pattern: string): string | undefined {
  const problem = rustRegexProblem(pattern);
  if (problem === undefined) return undefined;
  return problem === "does not compile"
    ? "does not compile as a Go regular expression"
    : `is not RE2: ${problem}`;
}

/** A BGP AS number: 32 bits (RFC 6793), and 0 is reserved (RFC 7607). */
const ASN_RANGE = "must be an AS number in 1-4294967295 (32 bits; 0 is reserved)";
export const asn = z
  .number()
  .int({ error: ASN_RANGE })
  .min(1, { error: ASN_RANGE })
  .max(4294967295, { error: ASN_RANGE });

/**
 * Longhorn's backup target as its backupstore drivers parse it (longhorn/backupstore driver.go
 * GetBackupStoreDriver picks the driver by URL scheme; s3/s3.go, azblob/azblob.go, nfs/nfs.go, cifs/cifs.go
 * `initFunc` refuse a URL without bucket/container or server and path).
 */
export function backupTargetProblem(target: string): { message: string; hint: string } | undefined {
  const forms =
    "s3://<bucket>@<region>/<path>, azblob://<container>@<endpoint>/<path>, nfs://<server>:/<path> or cifs://<server>/<share>";
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    return { message: `"${target}" is not a URL`, hint: `use ${forms}` };
  }
  const scheme = url.protocol.slice(0, -1);
  const path = url.pathname.replace(/^\/+/, "");
  switch (scheme) {
    case "s3":
    case "azblob":
      if ((url.username !== "" || url.hostname !== "") && path !== "") return undefined;
      return {
        message: `"${target}" names no ${path === "" ? "path" : scheme === "s3" ? "bucket" : "container"}`,
        hint: `use ${scheme}://<${scheme === "s3" ? "bucket>@<region" : "container>@<endpoint"}>/<path>`,
      };
    case "nfs":
    case "cifs":
      if (url.hostname !== "" && path !== "") return undefined;
      return {
        message: `"${target}" names no ${url.hostname === "" ? "server" : "path"}`,
        hint: scheme === "nfs" ? "use nfs://<server>:/<path>" : "use cifs://<server>/<share>",
      };
    default:
      return { message: `Longhorn has no backup store driver for "${scheme}://"`, hint: `use ${forms}` };
  }
}

/**
 * What an MCP server's environment says about where it listens, against the port its Service and route use: a
 * `*_PORT` variable with another number, or a `*_HOST`/`*_ADDR`/`*_LISTEN` variable on loopback (which the
 * Service cannot reach) or with another port. Servers read these themselves, e.g. `PORT` in
 * @modelcontextprotocol/server-everything's streamableHttp transport and `SLACK_MCP_HOST`/`SLACK_MCP_PORT` in
 * korotovsky/slack-mcp-server (default 127.0.0.1:13080).
 */
export function envPortProblems(
  env: Record<string, string>,
  port: number,
): Array<{ name: string; message: string }> {
  const out: Array<{ name: string; message: string }> = [];
  for (const [name, value] of Object.entries(env)) {
    const last = name.toUpperCase().split("_").pop() ?? "";
    const hostPort = /^(?:\[([^\]]*)\]|([^:]*)):(\d+)$/.exec(value.trim());
    const listed =
      last === "PORT" && /^\d+$/.test(value.trim())
        ? Number(value)
        : hostPort !== null
          ? Number(hostPort[3])
          : undefined;
    const host =
      hostPort !== null
        ? (hostPort[1] ?? hostPort[2])
        : ["HOST", "ADDR", "ADDRESS", "LISTEN", "BIND"].includes(last)
          ? value.trim()
          : undefined;
    if (["PORT", "HOST", "ADDR", "ADDRESS", "LISTEN", "BIND"].includes(last)) {
      if (listed !== undefined && listed !== port)
        out.push({ name, message: `says the server listens on port ${listed}, but port is ${port}` });
      if (host !== undefined && /^(localhost|127\.\d+\.\d+\.\d+|::1)$/.test(host))
        out.push({ name, message: `binds the server to loopback (${host}), which its Service cannot reach` });
    }
  }
  return out;
}
