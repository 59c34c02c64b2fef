/**
 * A real kube-apiserver + etcd for one test file (kube/localApiServer.ts), with its state in a scratch folder that is
 * removed afterwards. The binaries come from scripts/kube-toolchain.sh (on PATH via scripts/setup.sh, or in
 * AMB_KUBE_BIN); when they are missing, starting fails with the command that builds them, never a skip.
 */
import * as fs from "node:fs";
import { startLocalApiServer, type LocalApiServer } from "../../kube/localApiServer";
import { scratchDir } from "../../harness/pulumiEngine";

export interface TestApiServer extends LocalApiServer {
  close(): Promise<void>;
}

export async function startTestApiServer(): Promise<TestApiServer> {
  const stateDir = scratchDir("kube-apiserver");
  try {
    const server = await startLocalApiServer({ stateDir });
    return {
      ...server,
      async close() {
        await server.stop();
        fs.rmSync(stateDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    fs.rmSync(stateDir, { recursive: true, force: true });
    throw error;
  }
}
