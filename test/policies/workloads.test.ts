import { UNKNOWN } from "../../lib/facts";
import { ENVIRONMENT_LABEL } from "../../lib/conventions";
import {
  imageDigestPolicy,
  workloadResourcesPolicy,
  workloadSecurityPolicy,
} from "../../policies/rules/workloads";
import { edgeObjects, integrationObjects } from "./fixtures";
import { messagesOf, runResourcePolicy, type FakeResource } from "./policyHarness";

type Json = Record<string, unknown>;

function pod(deployment: FakeResource): Json {
  return ((deployment.props.spec as Json).template as Json).spec as Json;
}

function container(deployment: FakeResource, index = 0): Json {
  return (pod(deployment).containers as Json[])[index];
}

function setLabel(deployment: FakeResource, value: string | undefined): void {
  const metadata = deployment.props.metadata as { labels: Record<string, string> };
  if (value === undefined) delete metadata.labels[ENVIRONMENT_LABEL];
  else metadata.labels[ENVIRONMENT_LABEL] = value;
}

const EDGE = 'Deployment "cce-edge", container "haproxy"';

describe("workload-restricted-security (mandatory)", () => {
  test("passes the Deployments both components build", async () => {
    for (const deployment of [(await edgeObjects()).deployment, (await integrationObjects()).deployment]) {
      expect(await runResourcePolicy(workloadSecurityPolicy, deployment)).toEqual({ violations: [] });
    }
  });

  test("fails each missing setting of the restricted profile, naming the container and the fix", async () => {
    const { deployment } = await edgeObjects();
    delete pod(deployment).securityContext;
    container(deployment).securityContext = { capabilities: { drop: ["NET_RAW"] } };
    expect(messagesOf(await runResourcePolicy(workloadSecurityPolicy, deployment))).toEqual([
      `${EDGE}: securityContext.runAsNonRoot is not true on the container or the pod, so the image may run as ` +
        "root. Fix: set runAsNonRoot: true with the image's non-root runAsUser.",
      `${EDGE}: securityContext.readOnlyRootFilesystem is not true, so a compromised process can change the ` +
        "image's files. Fix: set it to true and mount an emptyDir where the process writes.",
      `${EDGE}: securityContext.allowPrivilegeEscalation is not false, so a setuid binary can gain privileges. ` +
        "Fix: set it to false.",
      `${EDGE}: securityContext.capabilities.drop does not contain "ALL", so the container keeps the runtime's ` +
        'default capabilities. Fix: set capabilities.drop to ["ALL"].',
    ]);
  });

  test("takes runAsNonRoot from the pod when the container leaves it out, and refuses user 0", async () => {
    const { deployment } = await edgeObjects();
    delete (container(deployment).securityContext as Json).runAsNonRoot;
    expect(await runResourcePolicy(workloadSecurityPolicy, deployment)).toEqual({ violations: [] });
    (pod(deployment).securityContext as Json).runAsUser = 0;
    expect(messagesOf(await runResourcePolicy(workloadSecurityPolicy, deployment))).toEqual([
      `${EDGE}: securityContext.runAsUser is 0 (root). Fix: use the image's non-root user id, e.g. 10001.`,
    ]);
  });

  test("checks init containers too", async () => {
    const { deployment } = await edgeObjects();
    pod(deployment).initContainers = [
      {
        name: "init",
        image: "busybox",
        securityContext: {
          ...(container(deployment).securityContext as Json),
          readOnlyRootFilesystem: false,
        },
      },
    ];
    expect(messagesOf(await runResourcePolicy(workloadSecurityPolicy, deployment))).toEqual([
      expect.stringMatching(
        /^Deployment "cce-edge", container "init": securityContext.readOnlyRootFilesystem is not true/,
      ),
    ]);
  });

  test("skips settings not known at preview, and says so", async () => {
    const { deployment } = await edgeObjects();
    (container(deployment).securityContext as Json).readOnlyRootFilesystem = UNKNOWN;
    (container(deployment).securityContext as Json).allowPrivilegeEscalation = true;
    const run = await runResourcePolicy(workloadSecurityPolicy, deployment);
    expect(messagesOf(run)).toEqual([expect.stringContaining("allowPrivilegeEscalation is not false")]);
    expect(run.skipped).toMatch(
      /: Deployment "cce-edge" spec\.template\.spec\.containers\[0\]\.securityContext\.readOnlyRootFilesystem$/,
    );
  });
});

describe("workload-resources-set (advisory)", () => {
  test("passes containers with cpu and memory requests and limits", async () => {
    expect(await runResourcePolicy(workloadResourcesPolicy, (await edgeObjects()).deployment)).toEqual({
      violations: [],
    });
  });

  test("lists the missing requests and limits", async () => {
    const { deployment } = await edgeObjects();
    container(deployment).resources = { requests: { cpu: "100m" } };
    expect(messagesOf(await runResourcePolicy(workloadResourcesPolicy, deployment))).toEqual([
      `${EDGE}: resources.requests.memory, resources.limits.cpu, resources.limits.memory are not set; without ` +
        "requests the scheduler places the pod blind, and without limits one pod can starve its node. " +
        "Fix: set requests and limits for cpu and memory.",
    ]);
  });
});

describe("workload-image-pinned-by-digest (mandatory)", () => {
  test("passes pinned images in any environment", async () => {
    const { deployment } = await edgeObjects();
    expect(await runResourcePolicy(imageDigestPolicy, deployment)).toEqual({ violations: [] });
    setLabel(deployment, "prod");
    expect(await runResourcePolicy(imageDigestPolicy, deployment)).toEqual({ violations: [] });
  });

  test("fails a tag outside dev; without the environment label the workload counts as outside dev", async () => {
    const { deployment } = await edgeObjects();
    setLabel(deployment, undefined);
    container(deployment).image = "haproxy:2.6";
    const fix =
      'Fix: use "haproxy:2.6@sha256:<64 hex digits>"; `docker buildx imagetools inspect haproxy:2.6` prints the digest.';
    expect(messagesOf(await runResourcePolicy(imageDigestPolicy, deployment))).toEqual([
      `${EDGE} (it has no label ${ENVIRONMENT_LABEL}): image "haproxy:2.6" is not pinned by digest, which every ` +
        `environment but "dev" requires (the environment is not known, so it counts as outside dev). ${fix}`,
    ]);
    setLabel(deployment, "prod");
    expect(messagesOf(await runResourcePolicy(imageDigestPolicy, deployment))).toEqual([
      `${EDGE} (its label ${ENVIRONMENT_LABEL} is "prod"): image "haproxy:2.6" is not pinned by digest, which ` +
        `environment "prod" requires (only "dev" may use tags). ${fix}`,
    ]);
    setLabel(deployment, "dev");
    expect(await runResourcePolicy(imageDigestPolicy, deployment)).toEqual({ violations: [] });
  });

  test("a malformed digest is not a digest", async () => {
    const { deployment } = await edgeObjects();
    container(deployment).image = "haproxy@sha256:abc";
    expect(messagesOf(await runResourcePolicy(imageDigestPolicy, deployment))).toEqual([
      expect.stringContaining('image "haproxy@sha256:abc" is not pinned by digest'),
    ]);
  });

  test("skips an image or environment not known at preview, and says so", async () => {
    const { deployment } = await edgeObjects();
    container(deployment).image = UNKNOWN;
    expect(await runResourcePolicy(imageDigestPolicy, deployment)).toEqual({
      violations: [],
      skipped:
        "this value is not known until `pulumi up` and will be checked then (every known value was checked now): " +
        'Deployment "cce-edge" spec.template.spec.containers[0].image',
    });
    setLabel(deployment, UNKNOWN);
    expect((await runResourcePolicy(imageDigestPolicy, deployment)).skipped).toMatch(
      new RegExp(`: Deployment "cce-edge" label ${ENVIRONMENT_LABEL}$`),
    );
  });
});
