/**
 * Runs the Webex Connect emulator as its own process:
 *   node -r ts-node/register/transpile-only emulator/cli.ts --port 8787 --data-dir .work/emulator
 */
import * as path from "node:path";
import { parseArgs } from "node:util";
import {
  DEFAULT_CLIENT_ID,
  DEFAULT_CLIENT_SECRET,
  DEFAULT_CONTROL_TOKEN,
  DEFAULT_ORGANIZATION_ID,
  DEFAULT_RATE_LIMIT,
  DEFAULT_REFRESH_TOKEN,
  DEFAULT_TOKEN,
  startEmulator,
  type TokenGrant,
} from "./server";

const HELP = `Webex Connect emulator: serves the routes of webexconnect/routes.ts on loopback, with state on disk.

Usage: node -r ts-node/register/transpile-only emulator/cli.ts [options]

  --port N                 port to listen on; 0 picks a free one (default 8787)
  --host ADDRESS           loopback address to bind (default 127.0.0.1)
  --data-dir DIR           where state.json is kept across restarts (default .work/emulator)
  --seed N                 seed for fault probabilities and id suffixes (default: random)
  --token TOKEN=ORG        accept bearer TOKEN for organization ORG; repeatable; like a personal
                           access token it expires 12 hours (emulator time) after the start
                           (default: ${DEFAULT_TOKEN}=${DEFAULT_ORGANIZATION_ID})
  --control-token TOKEN    token for the /_emulator/ control surface (default ${DEFAULT_CONTROL_TOKEN})
  --rate-limit CAP/RATE    token bucket per bearer token: burst CAP, RATE per second
                           (default ${DEFAULT_RATE_LIMIT.capacity}/${DEFAULT_RATE_LIMIT.refillPerSecond})
  --help                   show this text

The OAuth token route (POST /v1/access_token, refresh-token grant) serves the integration
client id ${DEFAULT_CLIENT_ID}, secret ${DEFAULT_CLIENT_SECRET}, refresh token ${DEFAULT_REFRESH_TOKEN}
for ${DEFAULT_ORGANIZATION_ID}. POST /_emulator/clock {"advanceSeconds": N} moves the emulator's clock.

Point the client at it with createWebexConnectClient({ baseUrl: <printed URL>, token, organizationId }).
`;

function fail(message: string): never {
  process.stderr.write(`${message}\nRun with --help for usage.\n`);
  process.exit(2);
}

function integer(name: string, value: string, min: number, max: number): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < min || parsed > max)
    fail(`--${name} ${JSON.stringify(value)} is not an integer from ${min} to ${max}.`);
  return parsed;
}

function tokenGrants(values: string[]): Record<string, TokenGrant> | undefined {
  if (values.length === 0) return undefined;
  const grants: Record<string, TokenGrant> = {};
  for (const value of values) {
    const separator = value.indexOf("=");
    if (separator <= 0 || separator === value.length - 1)
      fail("--token takes TOKEN=ORG, e.g. --token dev-token=my-org.");
    grants[value.slice(0, separator)] = { organizationId: value.slice(separator + 1) };
  }
  return grants;
}

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      options: {
        port: { type: "string", default: "8787" },
        host: { type: "string", default: "127.0.0.1" },
        "data-dir": { type: "string", default: ".work/emulator" },
        seed: { type: "string" },
        token: { type: "string", multiple: true, default: [] },
        "control-token": { type: "string" },
        "rate-limit": { type: "string" },
        help: { type: "boolean", default: false },
      },
    }).values;
  } catch (error) {
    fail((error as Error).message);
  }
  if (parsed.help) {
    process.stdout.write(HELP);
    return;
  }
  let rateLimit = undefined;
  if (parsed["rate-limit"]) {
    const match = /^(\d+)\/(\d+(?:\.\d+)?)$/.exec(parsed["rate-limit"]);
    if (!match) fail(`--rate-limit ${JSON.stringify(parsed["rate-limit"])} is not CAP/RATE, e.g. 100/50.`);
    rateLimit = { capacity: Number(match[1]), refillPerSecond: Number(match[2]) };
  }
  const dataDir = path.resolve(parsed["data-dir"]);
  const tokens = tokenGrants(parsed.token);
  const emulator = await startEmulator({
    port: integer("port", parsed.port, 0, 65535),
    host: parsed.host,
    dataDir,
    seed: parsed.seed === undefined ? undefined : integer("seed", parsed.seed, 0, 2 ** 31 - 1),
    tokens,
    controlToken: parsed["control-token"],
    rateLimit,
  });
  const organizations = [
    ...new Set(
      Object.values(tokens ?? { default: { organizationId: DEFAULT_ORGANIZATION_ID } }).map(
        (grant) => grant.organizationId,
      ),
    ),
  ];
  process.stdout.write(
    `Webex Connect emulator listening on ${emulator.url} (data dir ${dataDir}; organizations ${organizations.join(", ")}; control under /_emulator/)\n`,
  );
  const stop = () => {
    emulator.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`Emulator failed to start: ${(error as Error).message}\n`);
  process.exit(1);
});
