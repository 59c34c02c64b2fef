/**
 * The amb-cce policy pack: `pulumi preview --policy-pack policies`. Constructing PolicyPack starts the policy
 * server, so this file does nothing else; the rules and their tests live in rules/. PolicyPack reads the pack's
 * version from policies/package.json (the engine starts the pack in this folder).
 */
import { PolicyPack } from "@pulumi/policy";
import { ambCcePolicies } from "./rules";

new PolicyPack("amb-cce", { policies: ambCcePolicies });
