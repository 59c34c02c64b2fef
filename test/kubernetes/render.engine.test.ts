/**
 * The real engine `up`s both components through a Kubernetes provider that renders YAML to a directory; every
 * rendered file validates against the Kubernetes API schema and keeps the restricted security settings, and the
 * Webex Connect token never reaches the state file in clear text.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseAllDocuments } from "yaml";
import { readStateFiles, scratchDir, withEphemeralStack } from "../../harness/pulumiEngine";
import { EDGE_FQDN, NAMESPACE, WEBEX_CONNECT_TOKEN } from "./fixtures";
import { TypedManifest, validateManifest } from "./kubernetesModels";

jest.setTimeout(10 * 60 * 1000);

function renderedManifests(directory: string): TypedManifest[] {
  const files = fs
    .readdirSync(directory, { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".yaml"))
    .map((file) => path.join(directory, file));
  return files.flatMap((file) =>
    parseAllDocuments(fs.readFileSync(file, "utf8")).map((document) => document.toJSON() as TypedManifest),
  );
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- rendered YAML is untyped JSON
type Json = any;

test("both components render valid, restricted manifests through the real engine", async () => {
  const renderDir = scratchDir("k8s-render");
  try {
    await withEphemeralStack(
      {
        projectName: "k8s-render",
        program: "test/kubernetes/renderProgram.ts",
        config: { renderDir: { value: renderDir } },
      },
      async (stack, { backendDir }) => {
        const up = await stack.up();
        expect(up.outputs.fqdn.value).toBe(EDGE_FQDN);
        expect(up.outputs.serviceHost.value).toBe(`integration.${NAMESPACE}.svc`);

        const manifests = renderedManifests(renderDir);
        expect(
          manifests.map((manifest) => `${manifest.kind}/${(manifest.metadata as Json).name}`).sort(),
        ).toEqual(
          [
            "ConfigMap/cce-edge-config",
            "Secret/cce-edge-front-tls",
            "Secret/cce-edge-cloud-connect-tls",
            "Deployment/cce-edge",
            "Service/cce-edge",
            "PodDisruptionBudget/cce-edge",
            "ConfigMap/integration-settings",
            "Secret/integration-webex-connect",
            "Deployment/integration",
            "Service/integration",
            "HorizontalPodAutoscaler/integration",
            "PodDisruptionBudget/integration",
            "NetworkPolicy/integration-default-deny",
            "NetworkPolicy/integration-allow",
          ].sort(),
        );
        for (const manifest of manifests) {
          expect(() => validateManifest(manifest)).not.toThrow();
          expect((manifest.metadata as Json).namespace).toBe(NAMESPACE);
        }

        const deployments = manifests.filter((manifest) => manifest.kind === "Deployment") as Json[];
        expect(deployments).toHaveLength(2);
        for (const deployment of deployments) {
          const pod = deployment.spec.template.spec;
          expect(pod.securityContext).toMatchObject({
            runAsNonRoot: true,
            seccompProfile: { type: "RuntimeDefault" },
          });
          expect(pod.automountServiceAccountToken).toBe(false);
          for (const container of pod.containers) {
            expect(container.securityContext).toMatchObject({
              runAsNonRoot: true,
              allowPrivilegeEscalation: false,
              readOnlyRootFilesystem: true,
              capabilities: { drop: ["ALL"] },
              seccompProfile: { type: "RuntimeDefault" },
            });
            expect(container.readinessProbe.httpGet.path).toMatch(/^\//);
            expect(container.livenessProbe.httpGet.path).toMatch(/^\//);
            expect(container.resources.requests).toBeDefined();
            expect(container.resources.limits).toBeDefined();
          }
        }

        expect(readStateFiles(backendDir)).not.toContain(WEBEX_CONNECT_TOKEN);
      },
    );
  } finally {
    fs.rmSync(renderDir, { recursive: true, force: true });
  }
});
