/**
 * The sections of a stack file other than the edge's and the flows': the environment, the Webex Connect tenant and
 * credential, the service, the adopted AMB asset and the Kubernetes target.
 */
import { z } from "zod";
import { mspLinkProblem } from "../lib/appleRegistration";
import { hasDataStreamWaiver, MIN_DATA_STREAM_WAIVER_LENGTH } from "../lib/conventions";
import { REGIONS, isRegion } from "../lib/facts";
import { LOCAL_CONTEXT } from "../kube/context";
import { displayNameProblem } from "../webexconnect/schemas";
import { credentialSchema } from "./credentialSchema";
import { appIdSchema, ENVIRONMENTS, evenWithFieldProblems, identifier, section } from "./schemaParts";

/** Asset keys become parts of stack names (`<env>-<asset>`), flow names and Kubernetes names. */
const ASSET_KEY = /^[a-z][a-z0-9]{0,19}$/;

/** An AMB Account ID: the uuid of https://bcrw.apple.com/urn:biz:<uuid>. */
const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

export const environmentSchema = z.enum(ENVIRONMENTS, {
  error: (issue) =>
    `${issue.input === undefined ? "is missing" : "is not an environment"}: set it to one of ${ENVIRONMENTS.join(", ")}`,
});

export const webexConnectSection = section({
  region: z
    .string()
    .refine(isRegion, {
      error: (issue) =>
        `${JSON.stringify(issue.input)} is not a Webex Connect region: use one of ${REGIONS.join(", ")} (Japan uses au)`,
    })
    .optional(),
  orgId: identifier("the Webex Connect organization ID", '"org-1234"'),
  /** Only which parts are set and secret: the values never reach this schema's messages. */
  credential: credentialSchema,
  baseUrl: z
    .url({
      protocol: /^https?$/,
      error:
        "is not an http(s) URL: give the emulator's or the tenant's base URL, e.g. http://127.0.0.1:8787",
    })
    .optional(),
}).refine((webex) => webex.region !== undefined || webex.baseUrl !== undefined, {
  message: `is missing: set webexconnect:region to one of ${REGIONS.join(", ")}, or webexconnect:baseUrl for the emulator`,
  path: ["region"],
  ...evenWithFieldProblems,
});

export const serviceSection = section({
  name: z
    .string()
    .trim()
    .min(1, "is empty: give the Webex Connect service name")
    .superRefine((name, ctx) => {
      const problem = displayNameProblem(name, "service name");
      if (problem !== undefined) ctx.addIssue({ code: "custom", message: problem });
    }),
  description: z.string().default(""),
  adopt: z
    .enum(["none", "byName", "byId"], { error: 'must be "none" (create it), "byName" or "byId"' })
    .default("none"),
  id: z.string().optional(),
}).refine((service) => service.adopt !== "byId" || !!service.id, {
  message: 'is missing: adopt is "byId", so give the id of the existing service',
  path: ["id"],
  ...evenWithFieldProblems,
});

export const assetSection = section({
  key: z
    .string()
    .regex(
      ASSET_KEY,
      "must be 1-20 lower-case letters or digits, starting with a letter (it names the stack <env>-<asset>)",
    ),
  appId: appIdSchema,
  ambAccountId: z
    .string({
      error: (issue) =>
        issue.input === undefined
          ? "is missing: give the AMB Account ID (the uuid of https://bcrw.apple.com/urn:biz:<uuid>)"
          : undefined,
    })
    .superRefine((value, ctx) => {
      if (new RegExp(`^${UUID}$`).test(value)) return;
      // Often the whole business chat URL, or the uuid in capitals: the uuid inside is the fix.
      const uuid = new RegExp(UUID, "i").exec(value)?.[0].toLowerCase();
      ctx.addIssue({
        code: "custom",
        message:
          `${JSON.stringify(value)} is not a lower-case uuid: copy the AMB Account ID from Apple Business Register` +
          (uuid === undefined ? "" : `; use ${JSON.stringify(uuid)}`),
      });
    }),
  accountName: z
    .string()
    .regex(
      /^[A-Za-z0-9_-]{1,64}$/,
      "must be the Messages for Business account name (letters, digits, _ and -), as in &name=<AccountName>",
    ),
  /** Checked with accountName below: Webex Connect's link, for this account. */
  mspLink: z.string().optional(),
  dataStream: z.boolean().default(true),
  dataStreamWaiver: z.string().optional(),
  /** Moves the asset on purpose from the stack that owns it (`<project>/<stack>`), keeping its original settings. */
  takeOwnershipFrom: z
    .string()
    .regex(
      /^[^/\s]+\/[^/\s]+$/,
      'must name the owning stack as <project>/<stack>, e.g. "amb-cce-connect/dev-retail", as the refusal printed it',
    )
    .optional(),
})
  .refine((asset) => asset.dataStream || hasDataStreamWaiver(asset.dataStreamWaiver), {
    error: (issue) => {
      const waiver = (issue.input as { dataStreamWaiver?: string }).dataStreamWaiver;
      return (
        `${waiver === undefined ? "is missing" : `${JSON.stringify(waiver)} is too short`}: Data Stream is off, ` +
        "which breaks customer opt-out, event handling and typing indicators; turn it on or give a reason of at " +
        `least ${MIN_DATA_STREAM_WAIVER_LENGTH} characters`
      );
    },
    path: ["dataStreamWaiver"],
    ...evenWithFieldProblems,
  })
  .superRefine((asset, ctx) => {
    const { mspLink, accountName } = asset as { mspLink?: unknown; accountName?: unknown };
    if (typeof mspLink !== "string") return;
    const problem = mspLinkProblem(mspLink, typeof accountName === "string" ? accountName : "");
    if (problem !== undefined) ctx.addIssue({ code: "custom", path: ["mspLink"], message: problem });
  }, evenWithFieldProblems);

export const kubernetesSection = section({
  namespace: z
    .string()
    .regex(
      /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/,
      "must be a Kubernetes namespace name (lower-case letters, digits, -)",
    ),
  /** Render manifests to this folder instead of applying them to a cluster. */
  renderYamlToDirectory: z.string().min(1).optional(),
  /** The kubeconfig context of the target cluster (cluster mode). */
  context: z.string().min(1).optional(),
  /** Annotate every object `pulumi.com/skipAwait: "true"`: only for the local API server, which runs no controllers. */
  skipAwait: z.boolean().optional(),
})
  .refine((kubernetes) => !kubernetes.skipAwait || kubernetes.context === LOCAL_CONTEXT, {
    path: ["skipAwait"],
    error: (issue) =>
      `is true with context ${JSON.stringify((issue.input as { context?: string }).context ?? null)}: only the local ` +
      `default's API server (context ${LOCAL_CONTEXT}) runs without controllers, so only it may skip waiting for ` +
      "objects to become ready. Fix: remove kubernetes.skipAwait",
    ...evenWithFieldProblems,
  })
  .refine(
    (kubernetes) => (kubernetes.renderYamlToDirectory === undefined) !== (kubernetes.context === undefined),
    {
      error: (issue) =>
        `${(issue.input as { context?: string }).context === undefined ? "sets neither" : "sets both"} ` +
        "renderYamlToDirectory and context: set exactly one, renderYamlToDirectory (write manifests to a folder) " +
        "or context (apply to that cluster)",
      ...evenWithFieldProblems,
    },
  );
