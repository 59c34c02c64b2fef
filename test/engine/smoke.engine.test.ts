/**
 * Proves the toolchain end to end: the real engine runs a dynamic provider (pulumi-resource-pulumi-nodejs) and the
 * real Kubernetes provider in render-to-directory mode, and the language host runs the project from the shell.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { engineEnv, repoRoot, scratchDir, withEphemeralStack } from "../../harness/pulumiEngine";
import { runPulumiOrThrow } from "../../ops/pulumiCli";
import { selectStack } from "../../ops/pulumiStack";

jest.setTimeout(10 * 60 * 1000);

test("the real engine runs a dynamic provider and renders a Kubernetes manifest", async () => {
  const renderDir = scratchDir("smoke-render");
  try {
    await withEphemeralStack(
      {
        projectName: "smoke",
        program: "test/engine/smokeProgram.ts",
        config: { renderDir: { value: renderDir } },
      },
      async (stack) => {
        const version = (await runPulumiOrThrow(["version"], { cwd: stack.cwd })).stdout.trim();
        console.log(`real-engine smoke test: pulumi ${version}`);
        expect(version).toBe(`v${require("@pulumi/pulumi/package.json").version}`);

        const up = await stack.up();
        expect(up.outputs.message.value).toBe("hello platform");
        expect(up.outputs.configMapName.value).toBe("greeting");
        expect(up.changes).toMatchObject({ create: 4 });

        const rendered = fs.readFileSync(
          path.join(renderDir, "1-manifest", "v1-configmap-smoke-greeting.yaml"),
          "utf8",
        );
        expect(rendered).toContain("kind: ConfigMap");
        expect(rendered).toContain("message: hello platform");

        const preview = await stack.preview({ expectNoChanges: true });
        expect(preview.changes).toEqual({ same: 4 });
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
    await selectStack("dev-demo", { cwd: repoRoot, env });
    const { stdout } = await runPulumiOrThrow(["preview", "--stack", "dev-demo"], { cwd: repoRoot, env });
    expect(stdout).toContain("amb-cce:stack:AmbChannel");
    expect(stdout).toContain("pulumi-nodejs:dynamic/webexconnect:LiveFlow");
    expect(stdout).toMatch(/\+ \d+ to create/);
  } finally {
    fs.rmSync(backendDir, { recursive: true, force: true });
  }
});
