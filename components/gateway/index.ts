export { AiGateway, AiGatewayArgs, GatewayServiceInfo } from "./aiGateway";
export { AgentgatewayControlPlane, AgentgatewayControlPlaneArgs, controllerValues } from "./controlPlane";
export { backendSpec, providerSpec } from "./backends";
export { certificateGrants, gatewaySpec, httpsRedirectRouteSpec, parametersSpec } from "./gateways";
export { enabledPolicies, policyDocument, policyDocuments } from "./policies";
export { httpRouteSpec } from "./routes";
