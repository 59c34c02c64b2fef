/**
 * A broken stack file through the real CLI, engine and language host, against the emulator: `pulumi preview` and
 * `pulumi up` print each problem once, with no stack trace, exit non-zero, and stop before the program constructs its
 * first resource (the engine registers the stack alone) and before any Webex Connect request. Before the config
 * schema was built from the components' rules, this stack's Namespace and edge were created before the integration
 * service refused minReplicas 1, and the error came as an "unhandled exception" with its stack trace, twice. The same stack, fixed,
 * comes up and reports what it read from Webex Connect, which shows that the counts below do count.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseDocument } from "yaml";
import { runPulumi } from "../../ops/pulumiCli";
import { PulumiOperationError, type EngineEvent, type PulumiStack } from "../../ops/pulumiStack";
import { assetOfStack, createStackWorld, type StackWorld } from "../../harness/stackWorld";

jest.setTimeout(20 * 60 * 1000);

const STACK = "dev-retail";
const SECTION = (name: string) => ["config", `amb-cce-connect:${name}`];

/** Three problems the component rules, the FQDN rule and the failover rule each used to let through. */
const PROBLEMS = [
  "amb-cce-connect:cloudConnect.nodes: lists one node: the edge then has no failover. Fix: give the publisher and " +
    "subscriber Cloud Connect nodes; for a lab only, set singleNodeWaiver to the reason (at least 10 characters).",
  'amb-cce-connect:edge.fqdn: "10.0.0.5" is an IP address; the Domain field takes the FQDN of the reverse proxy or ' +
    'load balancer in front of Cloud Connect (the name in its certificate and in DNS), e.g. "cc.example.com".',
  "amb-cce-connect:integrationService.autoscaling.minReplicas: must be at least 2 to keep the service up while a " +
    "pod restarts (the disruption budget allows one down). Fix: use 2 or more. (got 1)",
];

/** The type of every resource the engine registered. */
const registeredTypes = (events: EngineEvent[]) =>
  events.flatMap((event) => (event.resourcePreEvent ? [event.resourcePreEvent.metadata.type] : []));

/** `pulumi up`: whether it failed, what the CLI printed, and the type of every resource the engine registered. */
async function up(stack: PulumiStack): Promise<{ failed: boolean; output: string; registered: string[] }> {
  try {
    const result = await stack.up();
    return { failed: false, output: result.stdout, registered: registeredTypes(result.events) };
  } catch (error) {
    if (!(error instanceof PulumiOperationError)) throw error;
    return { failed: true, output: error.run.stdout, registered: registeredTypes(error.events) };
  }
}

const occurrences = (text: string, part: string) => text.split(part).length - 1;

describe("a stack file the config schema refuses", () => {
  let world: StackWorld;
  let stack: PulumiStack;

  beforeAll(async () => {
    world = await createStackWorld([STACK], {
      seed: 14,
      edit: (_stack, doc) => {
        doc.setIn([...SECTION("integrationService"), "autoscaling", "minReplicas"], 1);
        doc.setIn([...SECTION("edge"), "fqdn"], "10.0.0.5");
        doc.deleteIn([...SECTION("cloudConnect"), "nodes", 1]);
      },
    });
    stack = await world.openStack(STACK);
  });
  afterAll(async () => {
    await world.close();
  });

  test("pulumi preview prints each problem once, no stack trace, exits non-zero, and plans the stack alone", async () => {
    const preview = await runPulumi(["preview", "--stack", STACK], {
      cwd: world.project.dir,
      env: { ...process.env, ...world.env },
    });
    const printed = preview.stdout + preview.stderr;
    expect(preview.exitCode).not.toBe(0);
    expect(occurrences(printed, "The stack configuration has 3 problems:")).toBe(2); // progress row and diagnostics
    for (const problem of PROBLEMS) expect(occurrences(printed, problem)).toBe(1);
    expect(printed).not.toMatch(/unhandled exception|StackConfigError|InvalidStackConfig|readStackConfig/);
    expect(printed).not.toMatch(/^\s+at .+:\d+(:\d+)?\)?$/m);
    expect(printed).not.toContain("\u001b[");
    // The program stopped before its first resource: the plan holds the stack resource only.
    expect(printed).toMatch(/Resources:\n\s+\+ 1 to create\n\s+1 errored/);
  });

  test("pulumi up stops before the first resource and the first Webex Connect request", async () => {
    await world.emulator.control.clearRequests();
    const broken = await up(stack);
    expect(broken.failed).toBe(true);
    for (const problem of PROBLEMS) expect(occurrences(broken.output, problem)).toBe(1);
    expect(broken.registered).toEqual(["pulumi:pulumi:Stack"]);
    expect((await world.emulator.control.requests()).counts).toEqual({});
    expect(fs.existsSync(world.project.renderDir(STACK))).toBe(false);
  });

  test("fixed, the same stack comes up, calls Webex Connect, and says what it read from it and when", async () => {
    const file = path.join(world.project.dir, "stacks", `Pulumi.${STACK}.yaml`);
    const doc = parseDocument(fs.readFileSync(file, "utf8"));
    doc.setIn([...SECTION("integrationService"), "autoscaling", "minReplicas"], 2);
    doc.setIn([...SECTION("edge"), "fqdn"], "amb-retail.dev.cc.example.com");
    doc.addIn([...SECTION("cloudConnect"), "nodes"], {
      name: "subscriber",
      host: "cloudconnect-sub.dev.cc.example.com",
    });
    fs.writeFileSync(file, doc.toString());
    await world.emulator.control.clearRequests();
    const fixed = await stack.up();
    expect(Object.keys((await world.emulator.control.requests()).counts).length).toBeGreaterThan(0);
    expect(fs.readdirSync(world.project.renderDir(STACK)).length).toBeGreaterThan(0);
    const { appId } = assetOfStack(STACK);
    expect((fixed.outputs.readiness.value as string[])[0]).toBe(
      `[read from Webex Connect at the last up or refresh, not by a preview] the asset (App ID ${appId}) was ` +
        '"Online": Apple approved the Messages for Business account.',
    );
    await stack.destroy();
  });
});
