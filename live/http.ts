import * as http from "http";
import * as https from "https";

/** Options of one read-only GET: headers (credentials included), TLS trust and a deadline. */
export interface GetOptions {
  headers?: Record<string, string>;
  agent?: http.Agent;
  /** PEM of the CA that signed the server certificate. */
  ca?: string | Buffer;
  /** False turns certificate verification off (a lab BIG-IP's self-signed management certificate). */
  rejectUnauthorized?: boolean;
  timeoutMs?: number;
}

/** An HTTP answer other than 2xx, with the start of its body (never the request's credentials). */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly url: string,
    body: string,
  ) {
    super(`GET ${url}: HTTP ${status}${body ? `: ${body.slice(0, 200).replace(/\s+/g, " ")}` : ""}`);
  }
}

/** GETs a URL and parses its JSON body. */
export function getJson(url: string, options: GetOptions = {}): Promise<unknown> {
  const target = new URL(url);
  const client = target.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.get(
      target,
      {
        headers: { Accept: "application/json", ...options.headers },
        agent: options.agent,
        ...(options.ca !== undefined ? { ca: options.ca } : {}),
        ...(options.rejectUnauthorized !== undefined
          ? { rejectUnauthorized: options.rejectUnauthorized }
          : {}),
        timeout: options.timeoutMs ?? 60_000,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("error", reject);
        response.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          const status = response.statusCode ?? 0;
          if (status < 200 || status >= 300) return reject(new HttpError(status, url, text));
          try {
            resolve(JSON.parse(text));
          } catch {
            reject(new Error(`GET ${url}: the answer is not JSON`));
          }
        });
      },
    );
    request.on("timeout", () => request.destroy(new Error(`GET ${url}: no answer in time`)));
    request.on("error", reject);
  });
}
