/** Generator options shared by the operator tests: a fleet in namespace pulumi-stacks on an S3 backend. */
import type { OperatorStackOptions } from "../../ops/operatorStacks";

export const OPTIONS: OperatorStackOptions = {
  namespace: "pulumi-stacks",
  projectRepo: "https://github.com/acme/amb-cce-connect.git",
  branch: "main",
  backend: "s3://acme-pulumi-state",
  passphraseSecret: { name: "amb-cce-connect", key: "PULUMI_CONFIG_PASSPHRASE" },
  webexCredential: { token: { name: "amb-cce-connect", key: "WEBEX_CONNECT_TOKEN" } },
  workspaceResources: { requests: { cpu: "500m", memory: "1Gi" }, limits: { memory: "1Gi" } },
};
