/**
 * The pack under the real engine: `pulumi preview --policy-pack policies` through the CLI on a small
 * program with the Webex Connect dynamic resources and the Kubernetes components (rendered to YAML, no cluster).
 * A compliant program previews cleanly; a violating one is refused with the mandatory violations named. A local
 * HTTP server stands in for Webex Connect and proves that preview never calls the API.
 */
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as path from "node:path";
import { repoRoot, scratchDir, withEphemeralStack } from "../../harness/pulumiEngine";
import { PulumiCommandError } from "../../ops/pulumiCli";
import { APP_ID, EDGE_FQDN } from "./fixtures";
import type { Violations } from "./packProgram";

jest.setTimeout(10 * 60 * 1000);

const POLICY_PACK = path.join(repoRoot, "policies");
const PROGRAM = "test/policies/packProgram.ts";

describe("the amb-cce policy pack under the real engine", () => {
  let webexConnect: http.Server;
  const requests: string[] = [];
  let renderDir: string;

  beforeAll(async () => {
    webexConnect = http.createServer((request, response) => {
      requests.push(`${request.method} ${request.url}`);
      response.writeHead(500).end();
    });
    await new Promise<void>((resolve) => webexConnect.listen(0, "127.0.0.1", resolve));
    renderDir = scratchDir("policy-render");
  });
  afterAll(async () => {
    await new Promise((resolve) => webexConnect.close(resolve));
    fs.rmSync(renderDir, { recursive: true, force: true });
  });

  function config(violations: Violations = {}) {
    const { port } = webexConnect.address() as AddressInfo;
    return {
      renderDir: { value: renderDir },
      violations: { value: JSON.stringify(violations) },
      "webexconnect:baseUrl": { value: `http://127.0.0.1:${port}` },
      "webexconnect:orgId": { value: "org-policy-test" },
      "webexconnect:token": { value: "policy-test-token", secret: true },
    };
  }

  test("a compliant program previews with the pack; values unknown at preview are named, not passed", async () => {
    const output = await withEphemeralStack(
      { projectName: "policy-pass", program: PROGRAM, config: config() },
      async (stack) => {
        const preview = await stack.preview({ policyPacks: [POLICY_PACK] });
        expect(preview.changes).toMatchObject({ create: expect.any(Number) });
        return preview.stdout;
      },
    );
    expect(output).toMatch(/amb-cce@v\d+\.\d+\.\d+ \(local: .*policies\)/);
    // The one diagnostic: the advisory naming what preview could not know.
    expect(output.match(/- \[(mandatory|advisory)\] +[a-z-]+/g)).toEqual([
      "- [advisory]  flows-bound-to-own-asset",
    ]);
    expect(output).toContain(
      "can't run policy 'flows-bound-to-own-asset' from policy pack 'amb-cce@v0.2.0' during preview: " +
        "these values are not known until `pulumi up`",
    );
    expect(requests).toEqual([]);
  });

  test("a violating program is refused, with each mandatory violation named", async () => {
    const output = await withEphemeralStack(
      {
        projectName: "policy-fail",
        program: PROGRAM,
        config: config({
          domain: "cc-old.example.com",
          webhookAppId: "app-other",
          // A key named like a credential is refused by the component itself; a credential-shaped value under an
          // innocent name is the policy pack's to catch.
          settings: { CRM_AUTHORIZATION: "Bearer not-a-real-token-value" },
        }),
      },
      async (stack) => {
        const refused = await stack.preview({ policyPacks: [POLICY_PACK] }).catch((error: unknown) => error);
        expect(refused).toBeInstanceOf(PulumiCommandError);
        return (refused as PulumiCommandError).run.stdout;
      },
    );
    for (const expected of [
      "❌ amb-cce@v0.2.0",
      "[mandatory]  cce-domain-is-edge-fqdn  (pulumi-nodejs:dynamic/webexconnect:LiveFlow: inbound)",
      `"cc-old.example.com" is not the FQDN of this stack's Cloud Connect edge ("${EDGE_FQDN}", Service "cce-edge")`,
      "[mandatory]  flows-bound-to-own-asset  (pulumi-nodejs:dynamic/webexconnect:LiveFlow: created)",
      `"app-other" is not the App ID of this stack's AMB asset ("${APP_ID}", AmbAsset "asset")`,
      "[mandatory]  no-credentials-in-configmaps  (kubernetes:core/v1:ConfigMap: integration-settings)",
      'ConfigMap "integration-settings": the value of data key "CRM_AUTHORIZATION" looks like an HTTP Authorization credential',
    ]) {
      expect(output).toContain(expected);
    }
    expect(output).not.toContain("not-a-real-token-value");
    expect(requests).toEqual([]);
  });
});
