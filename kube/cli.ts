/**
 * Runs the local Kubernetes API server (etcd + kube-apiserver on loopback) until SIGTERM or SIGINT:
 *   node -r ts-node/register/transpile-only kube/cli.ts --state-dir .work/kube-local --port 6443
 * Once /readyz answers it writes <state-dir>/kubeconfig (context amb-local) and prints its path.
 */
import { parseArgs } from "node:util";
import { startLocalApiServer } from "./localApiServer";

const HELP = `Local Kubernetes API server: etcd + kube-apiserver on 127.0.0.1, no kubelet, scheduler or controllers.

Usage: node -r ts-node/register/transpile-only kube/cli.ts [options]

  --state-dir DIR   etcd data, keys, kubeconfig and logs; kept across restarts (default .work/kube-local)
  --port N          HTTPS port of the API server; 0 picks a free one (default 6443)
  --help            show this text
`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      "state-dir": { type: "string", default: ".work/kube-local" },
      port: { type: "string", default: "6443" },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`--port ${JSON.stringify(values.port)} is not a port number from 0 to 65535`);
  const server = await startLocalApiServer({ stateDir: values["state-dir"], port });
  process.stdout.write(`kube-apiserver ready on ${server.url}; KUBECONFIG=${server.kubeconfigPath}\n`);
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    void server.stop().then(() => process.exit(0));
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

main().catch((error: Error) => {
  process.stderr.write(`kube: ${error.message}\n`);
  process.exit(1);
});
