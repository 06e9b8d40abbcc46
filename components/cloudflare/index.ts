export * from "./cloudflareEdge";
export * from "./plan";
