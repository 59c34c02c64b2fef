/** The onboarding script: a good run writes a stack file the program accepts; the command line prints what to do. */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { stringify } from "yaml";
import { parseStackConfig } from "../../config/stackConfig";
import { newStackFromArgs as newStack } from "../../scripts/newStack";
import { rawOfFile, readStackFileConfig, STACKS_DIR } from "../config/support";
import {
  argv,
  CREDENTIAL_STEP,
  section,
  stacksDir,
  useStacksFolder,
  writeEarlierBilling,
  writeStack,
  writeStagingRetail,
  type Mapping,
} from "./newStackFixture";

useStacksFolder();

describe("a good run", () => {
  it("writes a stack file the program accepts, with the template's tenant, edge and cluster", () => {
    const created = newStack(
      argv({ "--msp-link": "https://business-chat.imiconnect.io/applebusinesschat/login?id=42" }),
    );
    expect(created.file).toBe(path.join(stacksDir(), "Pulumi.staging-billing.yaml"));
    expect(created.template).toBe("staging-retail");
    const config = parseStackConfig(rawOfFile(created.file));
    const template = parseStackConfig(rawOfFile(path.join(stacksDir(), "Pulumi.staging-retail.yaml")));
    expect(config.stackName).toBe("staging-billing");
    expect(config.asset).toEqual({
      key: "billing",
      appId: "b7d2e4f1-billing",
      ambAccountId: "5d2c8e4f-1a3b-4c6d-9e8f-7a6b5c4d3e2f",
      accountName: "Billing_Desk",
      mspLink: "https://business-chat.imiconnect.io/applebusinesschat/login?id=42",
      dataStream: true,
    });
    expect(config.webexConnect).toEqual(template.webexConnect);
    expect(config.service).toEqual({ ...template.service, name: "AMB Billing_Desk (staging)" });
    expect(config.edge).toEqual({
      ...template.edge,
      fqdn: "amb-billing.staging.cc.example.com",
      frontTls: { existingSecretName: "amb-billing-front-tls" },
    });
    expect(config.cloudConnect).toEqual(template.cloudConnect);
    expect(config.integrationService).toEqual(template.integrationService);
    expect(config.kubernetes).toEqual({ ...template.kubernetes, namespace: "amb-billing" });
    expect(created.nextSteps).toEqual([
      "pulumi stack init staging-billing",
      CREDENTIAL_STEP,
      "create the kubernetes.io/tls Secret amb-billing-front-tls in namespace amb-billing with the certificate of amb-billing.staging.cc.example.com",
      "pulumi preview --stack staging-billing",
    ]);
  });

  it("never writes the template's credential, and needs the new stack's own", () => {
    writeStagingRetail((config) => {
      for (const part of ["token", "clientId", "clientSecret", "refreshToken"])
        config[`webexconnect:${part}`] = { secure: "v1:ciphertext-of-the-retail-stack" };
    });
    const created = newStack(argv());
    expect(fs.readFileSync(created.file, "utf8")).not.toContain("ciphertext");
    expect(() => parseStackConfig(rawOfFile(created.file, {}))).toThrow(
      "webexconnect:token: is missing: run `pulumi config set --secret webexconnect:token <token>`, or export WEBEX_CONNECT_TOKEN",
    );
  });

  it("does not take the local default (skipAwait, local API server) as a dev stack's default template", () => {
    const devStack = (name: string, kubernetes: Mapping) => {
      const config = readStackFileConfig(path.join(STACKS_DIR, "Pulumi.dev-retail.yaml"));
      config["amb-cce-connect:kubernetes"] = kubernetes;
      section(config, "asset").key = name.slice("dev-".length);
      section(config, "asset").appId = `app-${name}`;
      section(config, "edge").fqdn = `${name}.dev.cc.example.com`;
      fs.writeFileSync(path.join(stacksDir(), `Pulumi.${name}.yaml`), stringify({ config }));
    };
    devStack("dev-demo", { namespace: "amb-demo", context: "amb-local", skipAwait: true });
    devStack("dev-retail", { namespace: "amb-retail", context: "cce-dev" });
    const created = newStack(argv({ "--env": "dev", "--fqdn": "amb-billing.dev.cc.example.com" }));
    expect(created.template).toBe("dev-retail");
    expect(parseStackConfig(rawOfFile(created.file)).kubernetes).toEqual({
      namespace: "amb-billing",
      context: "cce-dev",
    });
  });

  it("follows a template that renders manifests and adopts a shared service, in common webhook mode", () => {
    writeStack("dev-demo", (config) => {
      config["amb-cce-connect:environment"] = "dev";
      config["amb-cce-connect:service"] = { name: "Shared AMB", adopt: "byName" };
      config["amb-cce-connect:flows"] = {
        webhooks: "common",
        destinationRoutes: [{ appId: "app-demo", eventId: "evt-demo" }],
      };
      config["amb-cce-connect:kubernetes"] = {
        namespace: "amb-demo",
        renderYamlToDirectory: ".work/rendered/dev-demo",
      };
      section(config, "asset").key = "demo";
      section(config, "asset").appId = "app-demo";
      section(config, "edge").fqdn = "amb-demo.dev.cc.example.com";
      section(config, "cloudConnect").nodes = [
        { name: "publisher", host: "cloudconnect-pub.dev.cc.example.com" },
        { name: "subscriber", host: "cloudconnect-sub.dev.cc.example.com" },
      ];
    });
    const created = newStack(
      argv({
        "--env": "dev",
        "--fqdn": "amb-billing.dev.cc.example.com",
        "--event-id": "amb-billing-events",
      }),
    );
    expect(created.template).toBe("dev-demo");
    const config = parseStackConfig(rawOfFile(created.file));
    expect(config.service).toEqual({ name: "Shared AMB", description: "", adopt: "byName" });
    expect(config.kubernetes).toEqual({
      namespace: "amb-billing",
      renderYamlToDirectory: ".work/rendered/dev-billing",
    });
    expect(created.nextSteps).toContain(
      "add {appId: b7d2e4f1-billing, eventId: amb-billing-events} to flows.destinationRoutes of the tenant's owner stack (the one with commonFlowOwner: true), then pulumi up that stack",
    );
  });

  it("takes the template given by --from, and overwrites with --force", () => {
    writeEarlierBilling();
    const created = newStack(argv({ "--from": "prod-retail", "--env": "staging" }, "--force"));
    expect(created.template).toBe("prod-retail");
    expect(parseStackConfig(rawOfFile(created.file)).asset.appId).toBe("b7d2e4f1-billing");
  });
});

describe("the command line", () => {
  const run = (args: string[]) =>
    spawnSync(
      process.execPath,
      [require.resolve("ts-node/dist/bin"), "--transpile-only", path.join("scripts", "newStack.ts"), ...args],
      { cwd: path.join(__dirname, "..", ".."), encoding: "utf8" },
    );

  it("prints the next steps and exits 0, or the problems and exits 1", () => {
    const good = run(argv());
    expect(good.stderr).toBe("");
    expect(good.status).toBe(0);
    expect(good.stdout).toBe(
      `Wrote ${path.join(stacksDir(), "Pulumi.staging-billing.yaml")} (settings copied from staging-retail).\n` +
        "Next steps:\n" +
        "  1. pulumi stack init staging-billing\n" +
        `  2. ${CREDENTIAL_STEP}\n` +
        "  3. create the kubernetes.io/tls Secret amb-billing-front-tls in namespace amb-billing with the certificate of amb-billing.staging.cc.example.com\n" +
        "  4. pulumi preview --stack staging-billing\n",
    );
    const again = run(argv());
    expect(again.status).toBe(1);
    expect(again.stdout).toBe("");
    expect(again.stderr).toBe(
      "Nothing was written: 1 problem.\n" +
        `  ${path.join(stacksDir(), "Pulumi.staging-billing.yaml")} exists already: pass --force to overwrite it, or choose another --asset\n`,
    );
  });
});
