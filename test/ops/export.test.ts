/**
 * `npm run export` against the emulator (a real HTTP server): a tenant built by hand through the API is read, its
 * values found inside its flows, the hand-edited flow reported node by node, and the stack file written only when
 * it passes the program's validation. Same tenant, same bytes; a tight rate limit slows the export, never breaks it.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import {
  DEFAULT_ORGANIZATION_ID,
  DEFAULT_TOKEN,
  startEmulator,
  type RunningEmulator,
} from "../../emulator/server";
import { boundFlowName, customerCloseFlowTemplate } from "../../flows";
import { readOverride } from "../../components/liveFlow";
import { runExport, type ExportRunOptions } from "../../ops/export/run";
import { assetKeyOf, validateStackFile } from "../../ops/export/stackFile";
import { createWebexConnectClient } from "../../webexconnect";
import { buildTenantByHand, HAND_BUILT, type HandBuiltTenant } from "../support/handBuiltTenant";
import { repoRoot, scratchDir } from "../../harness/pulumiEngine";

jest.setTimeout(120_000);

const EDITED = boundFlowName(customerCloseFlowTemplate, HAND_BUILT.accountName);

function clientOf(emulator: RunningEmulator) {
  return createWebexConnectClient({
    token: DEFAULT_TOKEN,
    organizationId: DEFAULT_ORGANIZATION_ID,
    baseUrl: emulator.url,
  });
}

function options(
  projectDir: string,
  emulator: RunningEmulator,
  extra: Partial<ExportRunOptions> = {},
): ExportRunOptions {
  return {
    appIds: [HAND_BUILT.appId],
    environment: "dev",
    baseUrl: emulator.url,
    keepTheirs: [],
    takeOurs: [],
    projectDir,
    ...extra,
  };
}

describe("export of a hand-built tenant", () => {
  let emulator: RunningEmulator;
  let tenant: HandBuiltTenant;
  const dirs: string[] = [];
  const project = () => {
    const dir = scratchDir("export");
    dirs.push(dir);
    return dir;
  };

  beforeAll(async () => {
    emulator = await startEmulator({ dataDir: scratchDir("export-emulator"), seed: 5 });
    tenant = await buildTenantByHand(emulator);
  });
  afterAll(async () => {
    await emulator.close();
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  test("a differing flow must be chosen for: the error names it, and nothing is written", async () => {
    const dir = project();
    const progress: string[] = [];
    await expect(
      runExport(clientOf(emulator), options(dir, emulator), (line) => progress.push(line)),
    ).rejects.toThrow(
      /Choose for each flow that differs from our template: AppleMessages_CustomerClose \(--keep-theirs/,
    );
    expect(fs.existsSync(path.join(dir, "stacks"))).toBe(false);
    // Before failing it shows what differs, node by node.
    expect(progress).toContainEqual(
      expect.stringMatching(
        /^ {4}- Close the conversation \(portal edit\) \(node \d+\): name Close Conversation → /,
      ),
    );
  });

  test("overrides are checked: an unknown template is refused by the config, a missing file names itself", async () => {
    const dir = project();
    const [result] = await runExport(
      clientOf(emulator),
      options(dir, emulator, { keepTheirs: ["all"] }),
      () => undefined,
    );
    const broken = result.files.stackFile.text.replace(
      "AppleMessages_CustomerClose:",
      "AppleMessages_Closing:",
    );
    expect(() => validateStackFile(result.files.stackName, broken)).toThrow(
      /flows\.overrides\.AppleMessages_Closing.*is not a flow template: use one of .*AppleMessages_CustomerClose/,
    );
    expect(() => readOverride("stacks/overrides/nowhere.json", dir)).toThrow(
      /The flow override stacks\/overrides\/nowhere\.json \(amb-cce-connect:flows\.overrides\) cannot be read: .*Fix the path/,
    );
    expect(readOverride(result.files.overrides[0].path, dir).nodes.map((node) => node.name)).toContain(
      HAND_BUILT.editedNodeName,
    );
  });

  test("keep theirs: values inferred from the flows, the edit reported node by node, an override file written", async () => {
    const dir = project();
    const progress: string[] = [];
    const [result] = await runExport(
      clientOf(emulator),
      options(dir, emulator, { keepTheirs: ["all"] }),
      (line) => progress.push(line),
    );
    expect(result.files.stackName).toBe(`dev-${assetKeyOf(HAND_BUILT.accountName)}`);
    expect(result.plan.proxyFqdn).toBe(HAND_BUILT.proxyFqdn);
    expect(result.plan.flowSettings).toMatchObject({
      mode: "perAsset",
      callVariables: HAND_BUILT.callVariables,
    });
    // Every flow the person built is adopted by its id; only the hand-edited one differs.
    expect(
      Object.fromEntries(result.plan.flows.map((flow) => [flow.name, [flow.verdict, flow.flowId]])),
    ).toEqual(
      Object.fromEntries(
        Object.entries(tenant.flowIds).map(([name, id]) => [
          name,
          [name === EDITED ? "differs" : "matches", id],
        ]),
      ),
    );
    const edited = result.plan.flows.find((flow) => flow.name === EDITED)!;
    expect(edited.changes.map((change) => change.line)).toEqual([
      expect.stringMatching(
        /^Close the conversation \(portal edit\) \(node \d+\): name Close Conversation → Close the conversation \(portal edit\)$/,
      ),
    ]);
    expect(result.files.report).toContain("```mermaid");
    expect(
      progress.some((line) =>
        line.includes(`[7/7] ${EDITED.replace("CustomerClose", "webhook_TRANSFERRED")}`),
      ),
    ).toBe(true);

    const stackText = fs.readFileSync(path.join(dir, result.files.stackFile.path), "utf8");
    expect(() => validateStackFile(result.files.stackName, stackText)).not.toThrow();
    const config = parse(stackText).config;
    expect(config["amb-cce-connect:service"]).toEqual({
      name: HAND_BUILT.serviceName,
      description: HAND_BUILT.serviceDescription,
      adopt: "byId",
      id: tenant.serviceId,
    });
    expect(config["amb-cce-connect:asset"]).toMatchObject({
      appId: HAND_BUILT.appId,
      ambAccountId: HAND_BUILT.ambAccountId,
      dataStream: true,
    });
    expect(config["amb-cce-connect:edge"].fqdn).toBe(HAND_BUILT.proxyFqdn);
    expect(config["amb-cce-connect:flows"].overrides).toEqual({
      AppleMessages_CustomerClose: `stacks/overrides/${result.files.stackName}/AppleMessages_CustomerClose.json`,
    });
    const override = JSON.parse(
      fs.readFileSync(
        path.join(dir, config["amb-cce-connect:flows"].overrides.AppleMessages_CustomerClose),
        "utf8",
      ),
    );
    expect(override.nodes.map((node: { name: string }) => node.name)).toContain(HAND_BUILT.editedNodeName);
    expect(stackText).toMatch(/^# NOT INFERRED: asset\.mspLink/m);
    expect(stackText).toMatch(/Kubernetes is out of scope for export/);
    expect(stackText).not.toContain(DEFAULT_TOKEN);

    // Same tenant, same bytes: a second export into the same folder writes nothing; into another, the same files.
    const [again] = await runExport(
      clientOf(emulator),
      options(dir, emulator, { keepTheirs: ["all"] }),
      () => undefined,
    );
    expect(again.written).toEqual([]);
    const other = project();
    await runExport(clientOf(emulator), options(other, emulator, { keepTheirs: ["all"] }), () => undefined);
    for (const file of [result.files.stackFile.path, ...result.files.overrides.map((o) => o.path)]) {
      expect(fs.readFileSync(path.join(other, file), "utf8")).toBe(
        fs.readFileSync(path.join(dir, file), "utf8"),
      );
    }
  });

  test("take ours: no override; the report says the live version is kept for rollback", async () => {
    const dir = project();
    const [result] = await runExport(
      clientOf(emulator),
      options(dir, emulator, { takeOurs: [customerCloseFlowTemplate] }),
      () => undefined,
    );
    expect(result.files.overrides).toEqual([]);
    expect(parse(result.files.stackFile.text).config["amb-cce-connect:flows"]).toEqual({
      webhooks: "perAsset",
      callVariables: HAND_BUILT.callVariables,
    });
    const edited = result.plan.flows.find((flow) => flow.name === EDITED)!;
    expect(result.files.report).toContain(
      `the live version ${edited.liveVersionId} is recorded as previousLiveVersionId`,
    );
  });

  test("prod needs the Kubernetes side from an existing stack: the error says so; with it, the file is valid", async () => {
    const dir = project();
    const prod = options(dir, emulator, { environment: "prod", keepTheirs: ["all"] });
    await expect(runExport(clientOf(emulator), prod, () => undefined)).rejects.toThrow(
      /not pinned by digest[\s\S]*pass --kubernetes-from stacks\/Pulumi\.<a stack of prod>\.yaml/,
    );
    const kubernetesFrom = path.join(repoRoot, "stacks", "Pulumi.prod-retail.yaml");
    const [result] = await runExport(clientOf(emulator), { ...prod, kubernetesFrom }, () => undefined);
    const config = parse(result.files.stackFile.text).config;
    const source = parse(fs.readFileSync(kubernetesFrom, "utf8")).config;
    expect(config["amb-cce-connect:integrationService"]).toEqual(
      source["amb-cce-connect:integrationService"],
    );
    expect(config["amb-cce-connect:edge"]).toEqual({
      ...source["amb-cce-connect:edge"],
      fqdn: HAND_BUILT.proxyFqdn,
    });
    expect(result.files.stackFile.text).toContain("copied from Pulumi.prod-retail.yaml");
  });

  test("a stack file with other content is not replaced without --force", async () => {
    const dir = project();
    const target = path.join(dir, "stacks", `Pulumi.dev-${assetKeyOf(HAND_BUILT.accountName)}.yaml`);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, "config: {}\n");
    await expect(
      runExport(clientOf(emulator), options(dir, emulator, { keepTheirs: ["all"] }), () => undefined),
    ).rejects.toThrow(/exists with other content: pass --force/);
    await runExport(
      clientOf(emulator),
      options(dir, emulator, { keepTheirs: ["all"], force: true }),
      () => undefined,
    );
    expect(fs.readFileSync(target, "utf8")).toContain("adopt: byId");
  });

  test("under a tight rate limit the export waits out the 429s and writes the same file", async () => {
    const limited = await startEmulator({
      dataDir: scratchDir("export-limited"),
      seed: 5,
      rateLimit: { capacity: 3, refillPerSecond: 4 },
    });
    try {
      // The client retries 429s, so building under the limit works the same, only slower.
      await buildTenantByHand(limited);
      await limited.control.clearRequests();
      const dir = project();
      const [result] = await runExport(
        clientOf(limited),
        options(dir, limited, { keepTheirs: ["all"] }),
        () => undefined,
      );
      const report = await limited.control.requests();
      expect(report.recent.filter((record) => record.outcome === 429).length).toBeGreaterThan(0);
      expect(result.plan.flows.filter((flow) => flow.verdict === "matches")).toHaveLength(6);
    } finally {
      await limited.close();
    }
  });
});
