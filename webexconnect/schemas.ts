/**
 * Wire shapes of every route, as zod schemas. The client validates every response with them; the
 * emulator validates request bodies with the same schemas, so a 400 names the same field both ways.
 * Field names of the documented asset API are inferred where the public page gives none (see docs).
 */
import { z } from "zod";
import { AMB_CHANNEL, AMB_CHANNEL_ID, type RouteName } from "./routes";

export const AMB_ASSET_STATUSES = ["In review", "Online"] as const;
export const FLOW_STATUSES = ["draft", "live", "inactive"] as const;
export const VERSION_ORIGINS = ["api", "portal"] as const;
export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 50;

function pageOf<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    page: z.number().int().min(1),
    pageSize: z.number().int().min(1).max(MAX_PAGE_SIZE),
    total: z.number().int().min(0),
  });
}

const id = z.string().min(1);
const timestamp = z.string().min(1);
/** Modeled: no public source gives Webex Connect's limit on the name of a service, an asset or a flow. */
export const MAX_DISPLAY_NAME_LENGTH = 100;

/**
 * Why Webex Connect would not show `name` as a `what` ("service name"): a control character (a line break) in
 * what the portal shows on one line, or more than MAX_DISPLAY_NAME_LENGTH characters. Undefined when it would.
 */
export function displayNameProblem(name: string, what: string): string | undefined {
  const control = /\p{Cc}/u.exec(name)?.[0];
  if (control !== undefined) {
    const code = control.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0");
    const oneLine = name
      .replace(/\p{Cc}+/gu, " ")
      .replace(/ {2,}/g, " ")
      .trim();
    return (
      `${JSON.stringify(name)} contains a control character (U+${code}): Webex Connect shows a ${what} on one ` +
      `line. Fix: use ${JSON.stringify(oneLine)}.`
    );
  }
  const length = [...name].length;
  if (length <= MAX_DISPLAY_NAME_LENGTH) return undefined;
  return (
    `is ${length} characters long; a Webex Connect ${what} has at most ${MAX_DISPLAY_NAME_LENGTH} characters ` +
    "(modeled: webexconnect/schemas.ts). Fix: shorten it."
  );
}

const displayName = z
  .string()
  .trim()
  .min(1, "must not be empty")
  .superRefine((name, ctx) => {
    const problem = displayNameProblem(name, "name");
    if (problem !== undefined) ctx.addIssue({ code: "custom", message: problem });
  });
const description = z.string().max(500, "must be at most 500 characters");

/** An AMB asset as the asset API returns it. `abcAccountId` is Apple's "AMB Account ID". */
export const ambAssetWire = z.object({
  id,
  appId: id,
  abcAccountId: id,
  name: z.string(),
  accountName: z.string(),
  description: z.string(),
  status: z.enum(AMB_ASSET_STATUSES),
  channel: z.literal(AMB_CHANNEL),
  channelId: z.literal(AMB_CHANNEL_ID),
});
/** The client's view: the Apple "abc account id" is called ambAccountId, as in the user guide. */
export const ambAsset = ambAssetWire.transform(({ abcAccountId, ...rest }) => ({
  ...rest,
  ambAccountId: abcAccountId,
}));

const engageRegistration = z.object({ assetId: id, registered: z.boolean(), serviceId: id.nullable() });
const dataStreamSetting = z.object({ assetId: id, enabled: z.boolean() });
/** The asset with the two settings the stack manages on it, as the portal's asset page shows them (modeled). */
const ambAssetWithSettings = ambAssetWire
  .extend({ engageRegistration, dataStream: dataStreamSetting })
  .transform(({ abcAccountId, ...rest }) => ({ ...rest, ambAccountId: abcAccountId }));
const service = z.object({
  id,
  name: z.string(),
  description: z.string(),
  createdAt: timestamp,
  updatedAt: timestamp,
});
/** The JWT secret is base64 (the messaging API signs HS256 with its decoded bytes). */
const serviceCredentials = z.object({
  serviceId: id,
  serviceKey: z.string().min(1),
  jwtSecret: z.string().regex(/^[A-Za-z0-9+/]+={0,2}$/, "must be base64"),
});

/** Flow definitions are opaque to this project beyond carrying a `nodes` array. */
export const flowDefinition = z.looseObject({ nodes: z.array(z.unknown()) });
const flowSummary = z.object({
  id,
  serviceId: id,
  name: z.string(),
  status: z.enum(FLOW_STATUSES),
  liveVersionId: id.nullable(),
  boundAssetId: id.nullable(),
  createdAt: timestamp,
  updatedAt: timestamp,
});
const flow = flowSummary.extend({ draftDefinition: flowDefinition });
const flowVersionSummary = z.object({
  id,
  flowId: id,
  serviceId: id,
  number: z.number().int().min(1),
  assetId: id,
  origin: z.enum(VERSION_ORIGINS),
  createdAt: timestamp,
});
const flowVersion = flowVersionSummary.extend({ definition: flowDefinition });
const publishResult = z.object({ versionId: id, flow });
const noContent = z.undefined();
const seconds = z.number().int().positive();
/** Webex's OAuth token answer; other fields Webex adds (token_type, scope) are ignored. */
const accessToken = z.object({
  access_token: z.string().min(1),
  expires_in: seconds,
  refresh_token: z.string().min(1).optional(),
  refresh_token_expires_in: seconds.optional(),
});

/** Error bodies (modeled for every route): `field` names the rejected input, `requiredScope` a missing permission. */
export const errorBody = z.object({
  code: z.string(),
  message: z.string(),
  field: z.string().optional(),
  requiredScope: z.string().optional(),
});

export const pageQuery = z.object({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
  name: z.string().min(1).optional(),
});

/** What each route answers with on success (2xx). */
export const responses = {
  "auth.accessToken": accessToken,
  "asset.create": ambAsset,
  "asset.list": pageOf(ambAsset),
  "asset.get": ambAsset,
  "asset.getWithSettings": ambAssetWithSettings,
  "asset.update": ambAsset,
  "asset.delete": noContent,
  "engage.get": engageRegistration,
  "engage.register": engageRegistration,
  "engage.unregister": engageRegistration,
  "dataStream.get": dataStreamSetting,
  "dataStream.set": dataStreamSetting,
  "service.create": service,
  "service.list": pageOf(service),
  "service.get": service,
  "service.update": service,
  "service.delete": noContent,
  "service.credentials": serviceCredentials,
  "flow.list": pageOf(flowSummary),
  "flow.import": flow,
  "flow.get": flow,
  "flow.rename": flow,
  "flow.delete": noContent,
  "flow.saveDraft": flow,
  "flow.publish": publishResult,
  "flow.deactivate": flow,
  "flow.listVersions": pageOf(flowVersionSummary),
  "flow.getVersion": flowVersion,
} satisfies Record<RouteName, z.ZodType>;

/** Request bodies of the routes that take one. Unknown keys are refused so typos surface as a 400. */
export const bodies = {
  /** Sent form-encoded (routes.ts `bodyEncoding`); the emulator decodes the form before checking it. */
  "auth.accessToken": z.strictObject({
    grant_type: z.literal("refresh_token"),
    client_id: z.string().min(1),
    client_secret: z.string().min(1),
    refresh_token: z.string().min(1),
  }),
  "asset.create": z.object({ name: displayName }).loose(),
  "asset.update": z.strictObject({ name: displayName, description }),
  "engage.register": z.strictObject({ serviceId: id }),
  "dataStream.set": z.strictObject({ enabled: z.boolean() }),
  "service.create": z.strictObject({ name: displayName, description: description.default("") }),
  "service.update": z.strictObject({ name: displayName, description }),
  "flow.import": z.strictObject({ name: displayName, definition: flowDefinition }),
  "flow.rename": z.strictObject({ name: displayName }),
  "flow.saveDraft": z.strictObject({ definition: flowDefinition }),
  "flow.publish": z.strictObject({ assetId: id }),
} satisfies Partial<Record<RouteName, z.ZodType>>;

type Responses = typeof responses;
type Bodies = typeof bodies;

export type ResponseOf<R extends RouteName> = z.output<Responses[R]>;
export type RouteWithBody = keyof Bodies;
export type BodyOf<R extends RouteWithBody> = z.output<Bodies[R]>;

export type AmbAssetWire = z.output<typeof ambAssetWire>;
export type AmbAsset = ResponseOf<"asset.get">;
export type AmbAssetWithSettings = ResponseOf<"asset.getWithSettings">;
export type EngageRegistration = ResponseOf<"engage.get">;
export type DataStreamSetting = ResponseOf<"dataStream.get">;
export type Service = ResponseOf<"service.get">;
export type ServiceCredentials = ResponseOf<"service.credentials">;
export type FlowDefinition = z.output<typeof flowDefinition>;
export type Flow = ResponseOf<"flow.get">;
export type FlowSummary = ResponseOf<"flow.list">["items"][number];
export type FlowVersion = ResponseOf<"flow.getVersion">;
export type FlowVersionSummary = ResponseOf<"flow.listVersions">["items"][number];
export type PublishResult = ResponseOf<"flow.publish">;
export type ErrorBody = z.output<typeof errorBody>;

export interface Page<T> {
  items: T[];
  page: number;
  pageSize: number;
  total: number;
}

/** The dotted path of the first offending field of a zod error, for a 400 that names it. */
export function firstIssueField(error: z.ZodError, prefix = ""): { field: string; message: string } {
  const issue = error.issues[0];
  const keys = issue.code === "unrecognized_keys" ? [...issue.path, issue.keys[0]] : issue.path;
  const field = [prefix, ...keys.map(String)].filter((part) => part !== "").join(".");
  const message = issue.code === "unrecognized_keys" ? "is not an accepted field" : issue.message;
  return { field: field || prefix || "body", message };
}
