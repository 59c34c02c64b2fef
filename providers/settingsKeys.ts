/** Where the providers find their Webex Connect settings; kept apart so the program can name them cheaply. */

/** Stack configuration keys, in the `webexconnect` namespace of Pulumi config. */
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
