/** Every rule of the amb-cce pack, in the order docs/policies.md lists them. */
import type { Policies } from "@pulumi/policy";
import { cceDomainPolicy } from "./cceDomain";
import { configMapCredentialsPolicy } from "./configMapCredentials";
import { dataStreamEnabledPolicy, dataStreamWaivedPolicy } from "./dataStream";
import { edgeAllowListPolicy } from "./edgeAllowList";
import { edgeProxyPolicy } from "./edgeProxy";
import { edgeFailoverPolicy } from "./failover";
import { flowBindingPolicy } from "./flowBinding";
import { richSendGatedPolicy } from "./richSendGated";
import { imageDigestPolicy, workloadResourcesPolicy, workloadSecurityPolicy } from "./workloads";

export const ambCcePolicies: Policies = [
  dataStreamEnabledPolicy,
  dataStreamWaivedPolicy,
  cceDomainPolicy,
  flowBindingPolicy,
  richSendGatedPolicy,
  edgeProxyPolicy,
  edgeFailoverPolicy,
  edgeAllowListPolicy,
  workloadSecurityPolicy,
  workloadResourcesPolicy,
  imageDigestPolicy,
  configMapCredentialsPolicy,
];
