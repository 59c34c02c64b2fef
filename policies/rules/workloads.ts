/**
 * The workload rules (docs/policies.md: `workload-restricted-security`, `workload-resources-set`,
 * `workload-image-pinned-by-digest`): every Deployment (the integration service and the edge proxy) keeps the
 * restricted security profile, declares its resources, and outside dev runs images pinned by digest, so every
 * replica and every rollback runs the same bytes.
 */
import { ENVIRONMENT_LABEL, imageDigestProblem } from "../../lib/conventions";
import { resourcePolicy } from "./define";
import { asArray, asObject, Outcome, valueAt, type Props, type ResourceView } from "./engineValues";
import { DEPLOYMENT_TYPE, describeResource, metadataEntry } from "./resources";

/** One container (or init container) of a Deployment's pod template, as the checks read it. */
interface ContainerView {
  /** How messages name it: `Deployment "integration", container "integration-service"`. */
  label: string;
  /** Where its values are, for skipped values: `Deployment "integration" spec.template.spec.containers[0]`. */
  path: string;
  props: Props;
}

/** A Deployment's pod template and its containers; the pod's security context is the containers' fallback. */
interface PodView {
  props: Props;
  /** Where its values are, for skipped values: `Deployment "integration" spec.template.spec`. */
  path: string;
  containers: ContainerView[];
}

/** The pod template of a Deployment, or undefined (recorded as skipped) while it is not known at preview. */
function podOf(deployment: ResourceView, outcome: Outcome): PodView | undefined {
  const subject = describeResource(deployment);
  const path = `${subject} spec.template.spec`;
  const pod = valueAt(deployment.props, "spec.template.spec");
  if (!outcome.known(pod, path)) return undefined;
  const podProps = asObject(pod) ?? {};
  const containers = (["initContainers", "containers"] as const).flatMap((list) => {
    if (!outcome.known(podProps[list], `${path}.${list}`)) return [];
    return asArray(podProps[list]).map((entry, index) => {
      const props = asObject(entry) ?? {};
      const name = typeof props.name === "string" ? props.name : `#${index}`;
      return {
        label: `${subject}, container ${JSON.stringify(name)}`,
        path: `${path}.${list}[${index}]`,
        props,
      };
    });
  });
  return { props: podProps, path, containers };
}

/** Marks a setting that is not known at preview: its check is skipped, never passed or failed. */
const SKIPPED = Symbol("skipped");

/** The restricted profile's settings of one container, each checked where it is known. */
function checkSecurityContext(pod: PodView, container: ContainerView, outcome: Outcome): void {
  const setting = (root: Props, field: string, what: string) => {
    const value = valueAt(root, `securityContext.${field}`);
    const elements = field === "capabilities.drop" ? asArray(value) : [];
    return outcome.known(value, what) && elements.every((element) => outcome.known(element, what))
      ? value
      : SKIPPED;
  };
  const own = (field: string) =>
    setting(container.props, field, `${container.path}.securityContext.${field}`);
  // A container setting, or the pod's where the container leaves it out.
  const effective = (field: string) => {
    const value = own(field);
    return value === undefined ? setting(pod.props, field, `${pod.path}.securityContext.${field}`) : value;
  };
  const violates = (value: unknown, required: (value: unknown) => boolean) =>
    value !== SKIPPED && !required(value);
  const fail = (problem: string) => outcome.fail(`${container.label}: ${problem}`);

  if (violates(effective("runAsNonRoot"), (value) => value === true)) {
    fail(
      "securityContext.runAsNonRoot is not true on the container or the pod, so the image may run as root. " +
        "Fix: set runAsNonRoot: true with the image's non-root runAsUser.",
    );
  }
  if (violates(effective("runAsUser"), (value) => value !== 0)) {
    fail("securityContext.runAsUser is 0 (root). Fix: use the image's non-root user id, e.g. 10001.");
  }
  if (violates(own("readOnlyRootFilesystem"), (value) => value === true)) {
    fail(
      "securityContext.readOnlyRootFilesystem is not true, so a compromised process can change the image's files. " +
        "Fix: set it to true and mount an emptyDir where the process writes.",
    );
  }
  if (violates(own("allowPrivilegeEscalation"), (value) => value === false)) {
    fail(
      "securityContext.allowPrivilegeEscalation is not false, so a setuid binary can gain privileges. " +
        "Fix: set it to false.",
    );
  }
  if (violates(own("capabilities.drop"), (value) => asArray(value).includes("ALL"))) {
    fail(
      'securityContext.capabilities.drop does not contain "ALL", so the container keeps the runtime\'s default ' +
        'capabilities. Fix: set capabilities.drop to ["ALL"].',
    );
  }
}

export function checkWorkloadSecurity(deployment: ResourceView): Outcome {
  const outcome = new Outcome();
  const pod = podOf(deployment, outcome);
  if (pod !== undefined)
    for (const container of pod.containers) checkSecurityContext(pod, container, outcome);
  return outcome;
}

const RESOURCE_FIELDS = ["requests.cpu", "requests.memory", "limits.cpu", "limits.memory"];

export function checkWorkloadResources(deployment: ResourceView): Outcome {
  const outcome = new Outcome();
  for (const container of podOf(deployment, outcome)?.containers ?? []) {
    const missing = RESOURCE_FIELDS.filter((field) => {
      const value = valueAt(container.props, `resources.${field}`);
      return (
        outcome.known(value, `${container.path}.resources.${field}`) && (value === undefined || value === "")
      );
    });
    if (missing.length === 0) continue;
    outcome.fail(
      `${container.label}: ${missing.map((field) => `resources.${field}`).join(", ")} ` +
        `${missing.length === 1 ? "is" : "are"} not set; without requests the scheduler places the pod blind, ` +
        "and without limits one pod can starve its node. Fix: set requests and limits for cpu and memory.",
    );
  }
  return outcome;
}

export function checkImageDigests(deployment: ResourceView): Outcome {
  const outcome = new Outcome();
  const environment = metadataEntry(deployment, "labels", ENVIRONMENT_LABEL);
  if (!outcome.known(environment, `${describeResource(deployment)} label ${ENVIRONMENT_LABEL}`))
    return outcome;
  const which =
    typeof environment === "string"
      ? `its label ${ENVIRONMENT_LABEL} is ${JSON.stringify(environment)}`
      : `it has no label ${ENVIRONMENT_LABEL}`;
  for (const container of podOf(deployment, outcome)?.containers ?? []) {
    const { image } = container.props;
    if (!outcome.known(image, `${container.path}.image`)) continue;
    const problem = imageDigestProblem(
      typeof image === "string" ? image : "",
      typeof environment === "string" ? environment : undefined,
    );
    if (problem !== undefined) outcome.fail(`${container.label} (${which}): image ${problem}`);
  }
  return outcome;
}

const isDeployment = (resource: ResourceView) => resource.type === DEPLOYMENT_TYPE;

export const workloadSecurityPolicy = resourcePolicy({
  name: "workload-restricted-security",
  description:
    "Every container runs as non-root with a read-only root filesystem, no privilege escalation and all capabilities dropped.",
  enforcementLevel: "mandatory",
  appliesTo: isDeployment,
  check: checkWorkloadSecurity,
});

export const workloadResourcesPolicy = resourcePolicy({
  name: "workload-resources-set",
  description: "Every container declares cpu and memory requests and limits.",
  enforcementLevel: "advisory",
  appliesTo: isDeployment,
  check: checkWorkloadResources,
});

export const imageDigestPolicy = resourcePolicy({
  name: "workload-image-pinned-by-digest",
  description: 'Outside "dev", every container image is pinned by digest.',
  enforcementLevel: "mandatory",
  appliesTo: isDeployment,
  check: checkImageDigests,
});
