/**
 * Lists the objects of one namespace on the cluster of $KUBECONFIG, as `kubectl get` would (no kubectl needed):
 *   node -r ts-node/register/transpile-only kube/list.ts --namespace amb-demo
 */
import { parseArgs } from "node:util";
import { kubeApiFromKubeconfig } from "./api";

/** The kinds the stack creates in its namespace. */
const LISTED: Array<[string, string]> = [
  ["apps/v1", "deployments"],
  ["v1", "services"],
  ["v1", "configmaps"],
  ["v1", "secrets"],
  ["networking.k8s.io/v1", "networkpolicies"],
  ["autoscaling/v2", "horizontalpodautoscalers"],
  ["policy/v1", "poddisruptionbudgets"],
];

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { namespace: { type: "string" } } });
  const kubeconfig = process.env.KUBECONFIG;
  if (!values.namespace || !kubeconfig) throw new Error("give --namespace NS and set KUBECONFIG");
  const api = kubeApiFromKubeconfig(kubeconfig);
  for (const [apiVersion, plural] of LISTED) {
    for (const name of await api.names(apiVersion, plural, values.namespace))
      process.stdout.write(`${plural}/${name}\n`);
  }
}

main().catch((error: Error) => {
  process.stderr.write(`kube/list: ${error.message}\n`);
  process.exit(1);
});
