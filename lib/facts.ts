/**
 * Facts every layer shares: where settings live, the regions, resource type tokens, the engine's unknown marker.
 * This module imports nothing, so config, providers, components, policies and ops can all depend on it without
 * depending on each other.
 */

/** The Pulumi project name, which is also the namespace of the stack's own config keys. */
export const PROJECT_NAME = "amb-cce-connect";

/** Stack configuration keys of the Webex Connect settings, in the `webexconnect` namespace of Pulumi config. */
export const SETTINGS_KEYS = {
  region: "webexconnect:region",
  organizationId: "webexconnect:orgId",
  token: "webexconnect:token",
  baseUrl: "webexconnect:baseUrl",
  modeledBaseUrl: "webexconnect:modeledBaseUrl",
  /** The renewing credential (an integration's or service app's OAuth refresh-token grant): all three, all secret. */
  clientId: "webexconnect:clientId",
  clientSecret: "webexconnect:clientSecret",
  refreshToken: "webexconnect:refreshToken",
} as const;

/** Environment variables that take precedence over stack configuration (CI secrets, the local emulator). */
export const SETTINGS_ENV = {
  region: "WEBEX_CONNECT_REGION",
  organizationId: "WEBEX_CONNECT_ORG_ID",
  token: "WEBEX_CONNECT_TOKEN",
  baseUrl: "WEBEX_CONNECT_BASE_URL",
  modeledBaseUrl: "WEBEX_CONNECT_MODELED_BASE_URL",
  clientId: "WEBEX_CONNECT_CLIENT_ID",
  clientSecret: "WEBEX_CONNECT_CLIENT_SECRET",
  refreshToken: "WEBEX_CONNECT_REFRESH_TOKEN",
} as const;

/** Regions with their own Digital Channel Onboarding (asset API) host (developer.webex.com, endpoints and regions). */
export const ASSET_API_REGIONS = ["eu", "us", "uk", "ca", "au", "sg", "in"] as const;
export type AssetApiRegion = (typeof ASSET_API_REGIONS)[number];
/** Japan is served by the Sydney (au) asset API host, per the regions page. */
export type Region = AssetApiRegion | "jp";
export const REGIONS: readonly Region[] = [...ASSET_API_REGIONS, "jp"];

export function isRegion(value: string): value is Region {
  return (REGIONS as readonly string[]).includes(value);
}

/** Type tokens: the components, and the dynamic resources as the engine names them (`pulumi-nodejs:dynamic/<module>:<type>`). */
export const RESOURCE_TYPES = {
  ambChannel: "amb-cce:stack:AmbChannel",
  service: "amb-cce:webexconnect:Service",
  ambAsset: "amb-cce:webexconnect:AmbAsset",
  liveFlow: "amb-cce:webexconnect:LiveFlow",
  webhookFlowSet: "amb-cce:webexconnect:WebhookFlowSet",
  serviceResource: "pulumi-nodejs:dynamic/webexconnect:Service",
  ambAssetResource: "pulumi-nodejs:dynamic/webexconnect:AmbAsset",
  liveFlowResource: "pulumi-nodejs:dynamic/webexconnect:LiveFlow",
  cloudConnectEdge: "amb-cce:kubernetes:CloudConnectEdge",
  integrationService: "amb-cce:kubernetes:IntegrationService",
} as const;
export const AMB_ASSET_TYPE = RESOURCE_TYPES.ambAssetResource;
export const LIVE_FLOW_TYPE = RESOURCE_TYPES.liveFlowResource;

/** What the engine passes for a value not known yet during preview, whatever the property's type (pulumi#6310). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
