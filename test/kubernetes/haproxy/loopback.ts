/** Where the edge tests run: the loopback addresses, a free port on them, and polling for what happens meanwhile. */
import { once } from "node:events";
import * as net from "node:net";

export const LOOPBACK = "127.0.0.1";
/** The address the test clients bind to when they must pass the allow-list (the attacker's, in attack tests). */
export const ALLOWED_CLIENT = "127.0.0.2";
/** A second allowed address: the legitimate client that must still be served while ALLOWED_CLIENT attacks. */
export const OTHER_CLIENT = "127.0.0.3";

export async function freePort(): Promise<number> {
  const server = net.createServer();
  server.listen(0, LOOPBACK);
  await once(server, "listening");
  const { port } = server.address() as net.AddressInfo;
  server.close();
  await once(server, "close");
  return port;
}

export async function sleep(ms: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `condition` every `intervalMs`, at most `attempts` times; true as soon as it holds. */
export async function eventually(
  condition: () => boolean,
  attempts: number,
  intervalMs: number,
): Promise<boolean> {
  for (let attempt = 0; attempt < attempts; attempt += 1) {
    if (condition()) return true;
    await sleep(intervalMs);
  }
  return condition();
}
