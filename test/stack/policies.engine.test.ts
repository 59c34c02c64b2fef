/**
 * The policy pack on the real program: `pulumi preview --policy-pack policies` passes a compliant stack and refuses
 * one whose configuration is valid but breaks a mandatory rule (a credential in plain config).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { DEFAULT_ORGANIZATION_ID, DEFAULT_TOKEN } from "../../emulator/server";
import { copyProject } from "../../harness/projectCopy";
import { engineEnv, repoRoot, scratchDir } from "../../harness/pulumiEngine";
import { PulumiCommandError } from "../../ops/pulumiCli";
import { selectStack } from "../../ops/pulumiStack";

jest.setTimeout(10 * 60 * 1000);

const POLICY_PACK = path.join(repoRoot, "policies");
// Preview of creates calls no Webex Connect API, so nothing needs to listen here.
const UNUSED_URL = "http://127.0.0.1:9";

async function preview(leakCredential: boolean) {
  const backendDir = scratchDir("policy-backend");
  const project = copyProject(["dev-retail"], UNUSED_URL, (_stack, doc) => {
    // A key named like a credential the stack config refuses itself; a credential-shaped value under an innocent
    // name is valid configuration that only the policy pack refuses.
    if (leakCredential)
      doc.setIn(
        ["config", "amb-cce-connect:integrationService", "settings", "WEBEX_AUTHORIZATION"],
        "Bearer wxc-plain-0123456789abcdef",
      );
  });
  try {
    const stack = await selectStack("dev-retail", {
      cwd: project.dir,
      env: {
        ...process.env,
        ...engineEnv(backendDir),
        PULUMI_CONFIG_PASSPHRASE: "policy-test",
        WEBEX_CONNECT_TOKEN: DEFAULT_TOKEN,
        WEBEX_CONNECT_ORG_ID: DEFAULT_ORGANIZATION_ID,
      },
    });
    try {
      const { stdout } = await stack.preview({ policyPacks: [POLICY_PACK] });
      return { passed: true, output: stdout };
    } catch (error) {
      if (!(error instanceof PulumiCommandError)) throw error;
      return { passed: false, output: error.run.stdout + error.run.stderr };
    }
  } finally {
    project.remove();
    fs.rmSync(backendDir, { recursive: true, force: true });
  }
}

test("a compliant stack passes the policy pack", async () => {
  const result = await preview(false);
  expect(result.output).toContain("amb-cce@v");
  expect(result.output).not.toMatch(/mandatory/i);
  expect(result.passed).toBe(true);
});

test("a stack with a credential in plain config is refused, the mandatory violation named", async () => {
  const result = await preview(true);
  expect(result.passed).toBe(false);
  expect(result.output).toContain("no-credentials-in-configmaps");
  expect(result.output).toMatch(/mandatory/);
  expect(result.output).not.toContain("wxc-plain-0123456789abcdef");
});
