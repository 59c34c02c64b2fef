/**
 * The pack under the real engine: `pulumi preview --policy-pack policies` through the Automation API on a small
 * program with the Webex Connect dynamic resources and the Kubernetes components (rendered to YAML, no cluster).
 * A compliant program previews cleanly; a violating one is refused with the mandatory violations named. A local
 * HTTP server stands in for Webex Connect and proves that preview never calls the API.
 */
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as path from "node:path";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { CloudConnectEdge } from "../../components/cloudConnectEdge";
import { IntegrationService } from "../../components/integrationService";
import { AmbAssetResource } from "../../components/ambAsset";
import { LiveFlowResource } from "../../components/liveFlow";
import { boundFlowName, type FlowBindings, type TemplateName } from "../../flows";
import { repoRoot, scratchDir, withEphemeralStack } from "../../harness/pulumiEngine";
import { edgeArgs, integrationArgs } from "../kubernetes/fixtures";
import { ACCOUNT_NAME, APP_ID, boundFlow, EDGE_FQDN, SERVICE_ID } from "./fixtures";

jest.setTimeout(10 * 60 * 1000);

const POLICY_PACK = path.join(repoRoot, "policies");

interface Violations {
  /** Bind the inbound flow to another host than the edge's FQDN. */
  domain?: string;
  /** Condition the CREATED webhook flow on another asset's App ID. */
  webhookAppId?: string;
  /** Extra settings of the integration service (they land in its ConfigMap). */
  settings?: Record<string, string>;
}

function program(renderDir: string, violations: Violations = {}) {
  return async () => {
    const provider = new k8s.Provider("render", { renderYamlToDirectory: renderDir });
    const edge = new CloudConnectEdge("cce-edge", edgeArgs(), { provider });
    new IntegrationService(
      "integration",
      integrationArgs({
        ingressFrom: [edge.ingressPeer],
        settings: { WEBEX_CONNECT_REGION: "eu", ...violations.settings },
      }),
      { provider },
    );
    const asset = new AmbAssetResource("asset", {
      appId: APP_ID,
      accountName: ACCOUNT_NAME,
      serviceId: SERVICE_ID,
    });
    const flow = (name: string, template: TemplateName, bindings: Partial<FlowBindings>) =>
      new LiveFlowResource(name, {
        name: boundFlowName(template, ACCOUNT_NAME),
        serviceId: SERVICE_ID,
        // Unknown until the asset exists: the pack must skip it at preview, and say so.
        assetId: asset.assetId,
        definition: boundFlow(template, bindings),
      });
    flow("inbound", "AppleMessages_inbound_flow", { proxyFqdn: violations.domain ?? EDGE_FQDN });
    flow("created", "AppleMessages_webhook_CREATED", { appId: violations.webhookAppId ?? APP_ID });
    flow("common", "AppleMessages_webhook_common", {});
    return { fqdn: edge.fqdn, assetId: pulumi.output(asset.assetId) };
  };
}

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

  function config() {
    const { port } = webexConnect.address() as AddressInfo;
    return {
      "webexconnect:baseUrl": { value: `http://127.0.0.1:${port}` },
      "webexconnect:orgId": { value: "org-policy-test" },
      "webexconnect:token": { value: "policy-test-token", secret: true },
    };
  }

  test("a compliant program previews with the pack; values unknown at preview are named, not passed", async () => {
    let output = "";
    await withEphemeralStack(
      { projectName: "policy-pass", program: program(renderDir), config: config() },
      async (stack) => {
        const preview = await stack.preview({
          policyPacks: [POLICY_PACK],
          onOutput: (text) => (output += text),
        });
        expect(preview.changeSummary).toMatchObject({ create: expect.any(Number) });
      },
    );
    expect(output).toMatch(/amb-cce@v\d+\.\d+\.\d+ \(local: .*policies\)/);
    // The one diagnostic: the advisory naming what preview could not know.
    expect(output.match(/- \[(mandatory|advisory)\] +[a-z-]+/g)).toEqual([
      "- [advisory]  flows-bound-to-own-asset",
    ]);
    expect(output).toContain(
      "can't run policy 'flows-bound-to-own-asset' from policy pack 'amb-cce@v0.1.0' during preview: " +
        "these values are not known until `pulumi up`",
    );
    expect(requests).toEqual([]);
  });

  test("a violating program is refused, with each mandatory violation named", async () => {
    let output = "";
    await withEphemeralStack(
      {
        projectName: "policy-fail",
        program: program(renderDir, {
          domain: "cc-old.example.com",
          webhookAppId: "app-other",
          settings: { API_TOKEN: "not-a-real-token" },
        }),
        config: config(),
      },
      async (stack) => {
        const preview = stack.preview({ policyPacks: [POLICY_PACK], onOutput: (text) => (output += text) });
        await expect(preview).rejects.toThrow(/preview failed|policy/i);
      },
    );
    for (const expected of [
      "❌ amb-cce@v0.1.0",
      "[mandatory]  cce-domain-is-edge-fqdn  (pulumi-nodejs:dynamic/webexconnect:LiveFlow: inbound)",
      `"cc-old.example.com" is not the FQDN of this stack's Cloud Connect edge ("${EDGE_FQDN}", Service "cce-edge")`,
      "[mandatory]  flows-bound-to-own-asset  (pulumi-nodejs:dynamic/webexconnect:LiveFlow: created)",
      `"app-other" is not the App ID of this stack's AMB asset ("${APP_ID}", AmbAsset "asset")`,
      "[mandatory]  no-credentials-in-configmaps  (kubernetes:core/v1:ConfigMap: integration-settings)",
      'ConfigMap "integration-settings": data key "API_TOKEN" names a credential ("token")',
    ]) {
      expect(output).toContain(expected);
    }
    expect(output).not.toContain("not-a-real-token");
    expect(requests).toEqual([]);
  });
});
