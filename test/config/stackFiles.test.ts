/**
 * The stack files in stacks/ as a set: each one valid (the token supplied as CI supplies it, from the environment),
 * named after its environment and asset, and no two of them claiming the same AMB asset or edge FQDN.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { stackNameOfFile } from "../../config/projectFiles";
import { LOCAL_CONTEXT } from "../../kube/context";
import { ENVIRONMENTS, parseStackConfig, StackConfigError, type StackConfig } from "../../config/stackConfig";
import { stringify } from "yaml";
import { rawOfFile, readStackFileConfig, STACKS_DIR, stackFilePaths } from "./support";

interface LoadedStack {
  readonly name: string;
  readonly config?: StackConfig;
  readonly problems: readonly string[];
}

function loadStack(filePath: string): LoadedStack {
  const name = stackNameOfFile(filePath) ?? path.basename(filePath);
  try {
    return { name, config: parseStackConfig(rawOfFile(filePath)), problems: [] };
  } catch (error) {
    if (!(error instanceof StackConfigError)) throw error;
    return { name, problems: error.problems.map((problem) => `Pulumi.${name}.yaml: ${problem}`) };
  }
}

/** Values that more than one stack uses, each with the stacks using it. */
function sharedValues(stacks: readonly LoadedStack[], valueOf: (config: StackConfig) => string) {
  const users = new Map<string, string[]>();
  for (const { name, config } of stacks) {
    if (config) users.set(valueOf(config), [...(users.get(valueOf(config)) ?? []), name]);
  }
  return [...users].filter(([, names]) => names.length > 1);
}

/** Every problem of a folder of stack files; none for a good set. */
function stackSetProblems(dir: string): string[] {
  const stacks = stackFilePaths(dir).map(loadStack);
  const problems = stacks.flatMap((stack) => stack.problems);
  for (const [appId, names] of sharedValues(stacks, (config) => config.asset.appId)) {
    problems.push(
      `App ID ${JSON.stringify(appId)} is used by ${names.join(", ")}: each stack needs its own AMB asset ` +
        "(its flows go live bound to that one asset, and the stack registers it to its own service)",
    );
  }
  for (const [fqdn, names] of sharedValues(stacks, (config) => config.edge.fqdn)) {
    problems.push(
      `edge FQDN ${JSON.stringify(fqdn)} is used by ${names.join(", ")}: give each stack its own`,
    );
  }
  return problems;
}

describe("the stack files in stacks/", () => {
  const files = stackFilePaths();

  it.each(files.map((file) => [path.basename(file), file]))(
    "%s is valid and named <env>-<asset>",
    (_name, file) => {
      const { name, config, problems } = loadStack(file);
      expect(problems).toEqual([]);
      expect(`${config?.environment}-${config?.asset.key}`).toBe(name);
    },
  );

  it("claim no App ID or edge FQDN twice", () => {
    expect(stackSetProblems(STACKS_DIR)).toEqual([]);
  });

  it("show dev, staging and prod for two assets of one tenant", () => {
    const environmentsOfAsset = new Map<string, Set<string>>();
    for (const config of files.map((file) => loadStack(file).config)) {
      if (!config) continue;
      const asset = `${config.webexConnect.orgId}/${config.asset.key}`;
      environmentsOfAsset.set(
        asset,
        new Set([...(environmentsOfAsset.get(asset) ?? []), config.environment]),
      );
    }
    const tenantsOfCompleteAssets = [...environmentsOfAsset]
      .filter(([, environments]) => environments.size === ENVIRONMENTS.length)
      .map(([asset]) => asset.split("/")[0]);
    const assetsPerTenant = tenantsOfCompleteAssets.map(
      (tenant) => tenantsOfCompleteAssets.filter((other) => other === tenant).length,
    );
    expect(Math.max(0, ...assetsPerTenant)).toBeGreaterThanOrEqual(2);
  });

  it("include the local default, dev-demo, which needs no cloud", () => {
    const demo = loadStack(path.join(STACKS_DIR, "Pulumi.dev-demo.yaml")).config;
    expect(demo?.webexConnect.baseUrl).toBe("http://127.0.0.1:8787");
    expect(demo?.kubernetes).toMatchObject({ context: LOCAL_CONTEXT, skipAwait: true });
  });

  it("skip waiting for Kubernetes objects only in the local default, whose API server runs no controllers", () => {
    const skipping = files.filter((file) => loadStack(file).config?.kubernetes.skipAwait);
    expect(skipping.map((file) => path.basename(file))).toEqual(["Pulumi.dev-demo.yaml"]);
  });
});

describe("the stack-set check", () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "stack-files-"));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  type Mapping = Record<string, unknown>;
  /** A stack file in the temporary folder: staging-retail's config with the given asset and edge settings. */
  const writeStack = (name: string, asset: Mapping, edge: Mapping = {}) => {
    const config = readStackFileConfig(path.join(STACKS_DIR, "Pulumi.staging-retail.yaml"));
    Object.assign(config["amb-cce-connect:asset"] as Mapping, asset);
    Object.assign(config["amb-cce-connect:edge"] as Mapping, edge);
    fs.writeFileSync(path.join(dir, `Pulumi.${name}.yaml`), stringify({ config }));
  };

  it("fails an invalid stack file and a misnamed one", () => {
    writeStack("staging-retail", { appId: "app-1" }, { fqdn: "one.example.com" });
    writeStack(
      "staging-billing",
      { key: "billing", appId: "app-2" },
      { fqdn: "two.example.com", replicas: 1 },
    );
    writeStack("staging-shop", { appId: "app-3" }, { fqdn: "three.example.com" });
    expect(stackSetProblems(dir)).toEqual([
      "Pulumi.staging-billing.yaml: amb-cce-connect:edge.replicas: must be at least 2 so Webex Connect keeps a path " +
        "while a pod restarts or moves. Fix: use 2 or more. (got 1)",
      'Pulumi.staging-shop.yaml: stack name: is "staging-shop", but stacks are named <environment>-<asset key>: name it "staging-retail", or fix environment / asset.key',
    ]);
  });

  it("fails stacks sharing an App ID or an edge FQDN", () => {
    writeStack("staging-retail", { appId: "app-1" }, { fqdn: "one.example.com" });
    writeStack("staging-billing", { key: "billing", appId: "app-1" }, { fqdn: "one.example.com" });
    writeStack("staging-shop", { key: "shop", appId: "app-3" }, { fqdn: "three.example.com" });
    expect(stackSetProblems(dir)).toEqual([
      'App ID "app-1" is used by staging-billing, staging-retail: each stack needs its own AMB asset ' +
        "(its flows go live bound to that one asset, and the stack registers it to its own service)",
      'edge FQDN "one.example.com" is used by staging-billing, staging-retail: give each stack its own',
    ]);
  });

  it("passes a good set", () => {
    writeStack("staging-retail", { appId: "app-1" }, { fqdn: "one.example.com" });
    writeStack("staging-billing", { key: "billing", appId: "app-2" }, { fqdn: "two.example.com" });
    expect(stackSetProblems(dir)).toEqual([]);
  });
});
