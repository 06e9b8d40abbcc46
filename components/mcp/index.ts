export * from "./mcpServers";
export * from "./routing";
