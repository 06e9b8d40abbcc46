export * from "./cloudflareEdge";
