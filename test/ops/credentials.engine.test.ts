/**
 * Credentials that last, on the real program (index.ts) and a real stack file in render mode under the real engine,
 * against the Webex Connect emulator: a stack on the renewing credential (client id, client secret, refresh token;
 * no token anywhere) is deployed, its integration service gets the three parts as secret files, and 13 emulated
 * hours later (every 12-hour personal access token expired) the reconcile still finds a portal edit and puts it back.
 * The same stack moved to a static token then fails with an error naming the expired credential and how to renew it,
 * and a credential part set in plain text (which the program reads from the stack file) is refused by name.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseAllDocuments } from "yaml";
import {
  DEFAULT_CLIENT_ID,
  DEFAULT_CLIENT_SECRET,
  DEFAULT_REFRESH_TOKEN,
  DEFAULT_ORGANIZATION_ID,
  DEFAULT_TOKEN,
} from "../../emulator/server";
import { SETTINGS_ENV } from "../../lib/facts";
import { runPulumi } from "../../ops/pulumiCli";
import { reconcile } from "../../ops/reconcile";
import { createStackWorld, type StackWorld } from "../../harness/stackWorld";

jest.setTimeout(20 * 60 * 1000);

const STACK = "dev-retail";
const RENEWING = {
  "webexconnect:clientId": DEFAULT_CLIENT_ID,
  "webexconnect:clientSecret": DEFAULT_CLIENT_SECRET,
  "webexconnect:refreshToken": DEFAULT_REFRESH_TOKEN,
};
const SECRETS = [DEFAULT_TOKEN, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_REFRESH_TOKEN];

type FlowDefinition = { nodes: Array<{ type: string; config: Record<string, unknown> }> };

let world: StackWorld;
let env: NodeJS.ProcessEnv;
/** The file backend: where the state lives. */
let backendDir: string;

async function must(args: string[]): Promise<void> {
  const run = await runPulumi([...args, "--stack", STACK], { cwd: world.project.dir, env });
  if (run.exitCode !== 0)
    throw new Error(`pulumi ${args.join(" ")} exited ${run.exitCode}:\n${run.stdout}\n${run.stderr}`);
}

/** Every file under a folder, as text. */
function textsUnder(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => fs.readFileSync(path.join(entry.parentPath, entry.name), "utf8"));
}

/** The inbound flow's live Create Task domain, and a portal edit of it. */
async function inboundFlow() {
  const state = await world.emulator.control.dumpState();
  const flow = Object.values(state.flows).find((candidate) =>
    candidate.name.startsWith("AppleMessages_inbound_flow"),
  )!;
  const definition = state.versions[flow.liveVersionId!].definition as FlowDefinition;
  const createTask = () => definition.nodes.find((node) => node.type === "cceCreateTask")!;
  return {
    domain: createTask().config.domain,
    async portalEdit(domain: string) {
      const edited = structuredClone(definition);
      edited.nodes.find((node) => node.type === "cceCreateTask")!.config.domain = domain;
      await world.emulator.control.portalEditFlow(flow.id, edited);
    },
  };
}

const tokenGrants = async () =>
  (await world.emulator.control.requests()).counts["auth.accessToken"]?.POST ?? 0;

beforeAll(async () => {
  world = await createStackWorld([STACK], { seed: 13 });
  // The world's own environment, less its token: this stack has the renewing credential and nothing else.
  env = { ...process.env, ...world.env };
  for (const variable of Object.values(SETTINGS_ENV)) delete env[variable];
  backendDir = new URL(world.env.PULUMI_BACKEND_URL).pathname;
  await runPulumi(["stack", "init", STACK], { cwd: world.project.dir, env });
  await must([
    "config",
    "set-all",
    "--plaintext",
    `webexconnect:orgId=${DEFAULT_ORGANIZATION_ID}`,
    "--plaintext",
    "reconcile.remediate=true",
    ...Object.entries(RENEWING).flatMap(([key, value]) => ["--secret", `${key}=${value}`]),
  ]);
  await must(["up", "--yes", "--skip-preview"]);
});

afterAll(async () => {
  await world?.close();
});

test("the full program deploys on the renewing credential alone; the integration service gets its three parts as files", () => {
  const manifests = textsUnder(world.project.renderDir(STACK)).flatMap((text) =>
    parseAllDocuments(text).map((document) => document.toJSON() as Record<string, never>),
  );
  const byName = (kind: string, name: string) =>
    manifests.find(
      (manifest) => manifest.kind === kind && (manifest.metadata as { name: string }).name === name,
    ) as Record<string, unknown> | undefined;
  const secret = byName("Secret", "integration-webex-connect") as { stringData?: object; data?: object };
  expect(Object.keys(secret.stringData ?? secret.data ?? {}).sort()).toEqual([
    "clientId",
    "clientSecret",
    "refreshToken",
  ]);
  const deployment = byName("Deployment", "integration") as {
    spec: { template: { spec: { containers: Array<{ env: Array<{ name: string }> }> } } };
  };
  expect(deployment.spec.template.spec.containers[0].env.map((variable) => variable.name)).toEqual([
    "WEBEX_CONNECT_CLIENT_ID_FILE",
    "WEBEX_CONNECT_CLIENT_SECRET_FILE",
    "WEBEX_CONNECT_REFRESH_TOKEN_FILE",
  ]);
  // The state holds the parts only encrypted.
  for (const text of textsUnder(backendDir)) for (const value of SECRETS) expect(text).not.toContain(value);
});

test("13 hours later (emulated) the renewing credential still reconciles; a static token then says it expired and how to renew it", async () => {
  await world.emulator.control.advanceClock(13 * 3600);
  const expected = (await inboundFlow()).domain;
  await (await inboundFlow()).portalEdit("old.example.com");
  const grantsBefore = await tokenGrants();

  const later = await reconcile({ projectDir: world.project.dir, env, remediate: true });
  expect(later.stacks.map((result) => [result.stack, result.outcome, result.errors])).toEqual([
    [STACK, "remediated", []],
  ]);
  expect((await inboundFlow()).domain).toBe(expected);
  // Preview, up and the verifying preview are each a new provider process: one grant each, at least.
  expect((await tokenGrants()) - grantsBefore).toBeGreaterThanOrEqual(3);

  await must(["config", "rm-all", ...Object.keys(RENEWING)]);
  await must(["config", "set", "--secret", "webexconnect:token", DEFAULT_TOKEN]);
  const expired = await reconcile({ projectDir: world.project.dir, env, remediate: true });
  expect(expired.exitCode).not.toBe(0);
  const [result] = expired.stacks;
  expect(result).toMatchObject({ outcome: "failed", failedStep: "preview" });
  const errors = result.errors.join("\n");
  expect(errors).toContain("Webex Connect rejected the access token (401)");
  expect(errors).toContain("the static access token (webexconnect:token) is expired or invalid");
  expect(errors).toContain("Personal access tokens last 12 hours");
  expect(errors).toContain("use the renewing credential instead");
  for (const text of [JSON.stringify(later), JSON.stringify(expired), ...textsUnder(backendDir)])
    for (const value of SECRETS) expect(text).not.toContain(value);
});

test("the real program refuses a credential part in plain text in the stack file, and a partial renewing credential, naming each key", async () => {
  await must(["config", "set", "webexconnect:clientId", DEFAULT_CLIENT_ID]);
  const preview = await runPulumi(["preview", "--stack", STACK], { cwd: world.project.dir, env });
  expect(preview.exitCode).not.toBe(0);
  const printed = `${preview.stdout}\n${preview.stderr}`;
  expect(printed).toContain(
    "webexconnect:clientId: is stored in plain text: run `pulumi config set --secret webexconnect:clientId <client id>`",
  );
  expect(printed).toContain(
    "webexconnect:clientSecret: is missing: the renewing credential needs webexconnect:clientId, " +
      "webexconnect:clientSecret, webexconnect:refreshToken together",
  );
  expect(printed).not.toContain(DEFAULT_CLIENT_ID);
});
