/**
 * Proves the toolchain end to end: the real engine runs a dynamic provider (pulumi-resource-pulumi-nodejs) and the
 * real Kubernetes provider in render-to-directory mode, and the language host runs the project from the shell.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { engineEnv, repoRoot, scratchDir, withEphemeralStack } from "../../harness/pulumiEngine";

const run = promisify(execFile);
jest.setTimeout(10 * 60 * 1000);

const greetingProvider: pulumi.dynamic.ResourceProvider = {
  async create(inputs) {
    return { id: `greeting-${inputs.who}`, outs: { who: inputs.who, message: `hello ${inputs.who}` } };
  },
};

class Greeting extends pulumi.dynamic.Resource {
  declare readonly message: pulumi.Output<string>;
  constructor(name: string, who: string, opts?: pulumi.CustomResourceOptions) {
    super(greetingProvider, name, { who, message: undefined }, opts, "smoke", "Greeting");
  }
}

test("the real engine runs a dynamic provider and renders a Kubernetes manifest", async () => {
  const renderDir = scratchDir("smoke-render");
  try {
    await withEphemeralStack(
      {
        projectName: "smoke",
        program: async () => {
          const greeting = new Greeting("greeting", "platform");
          const renderer = new k8s.Provider("render", { renderYamlToDirectory: renderDir });
          const configMap = new k8s.core.v1.ConfigMap(
            "greeting",
            { metadata: { name: "greeting", namespace: "smoke" }, data: { message: greeting.message } },
            { provider: renderer },
          );
          return { message: greeting.message, configMapName: configMap.metadata.name };
        },
      },
      async (stack) => {
        console.log(`real-engine smoke test: pulumi ${stack.workspace.pulumiVersion}`);
        expect(stack.workspace.pulumiVersion).toBe(require("@pulumi/pulumi/package.json").version);

        const up = await stack.up();
        expect(up.outputs.message.value).toBe("hello platform");
        expect(up.outputs.configMapName.value).toBe("greeting");
        expect(up.summary.resourceChanges).toMatchObject({ create: 4 });

        const rendered = fs.readFileSync(
          path.join(renderDir, "1-manifest", "v1-configmap-smoke-greeting.yaml"),
          "utf8",
        );
        expect(rendered).toContain("kind: ConfigMap");
        expect(rendered).toContain("message: hello platform");

        const preview = await stack.preview({ expectNoChanges: true });
        expect(preview.changeSummary).toEqual({ same: 4 });
      },
    );
  } finally {
    fs.rmSync(renderDir, { recursive: true, force: true });
  }
});

test("pulumi preview from the shell runs the project's own program through the language host", async () => {
  const backendDir = scratchDir("smoke-shell");
  // dev-demo is the local default stack: emulator settings in its file, the fixed local passphrase.
  const env = {
    ...process.env,
    ...engineEnv(backendDir),
    PULUMI_CONFIG_PASSPHRASE: "local-default-not-secret",
    WEBEX_CONNECT_TOKEN: "emulator-token",
  };
  try {
    await run("pulumi", ["stack", "init", "dev-demo", "--non-interactive"], { cwd: repoRoot, env });
    const { stdout } = await run("pulumi", ["preview", "--stack", "dev-demo", "--non-interactive"], {
      cwd: repoRoot,
      env,
    });
    expect(stdout).toContain("amb-cce:stack:AmbChannel");
    expect(stdout).toContain("pulumi-nodejs:dynamic/webexconnect:LiveFlow");
    expect(stdout).toMatch(/\+ \d+ to create/);
  } finally {
    fs.rmSync(backendDir, { recursive: true, force: true });
  }
});
