import { PolicyPack } from "@pulumi/policy";
import { packArgs } from "./pack";

// Loaded by `pulumi preview --policy-pack policy`; the PolicyPack constructor serves the analyzer to the engine.
new PolicyPack("ai-platform", packArgs());
