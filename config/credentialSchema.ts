/**
 * Which Webex Connect credential a stack gives, judged without its values: a static token (a personal access token
 * lasts 12 hours), or the renewing credential (an integration's or service app's client id, client secret and
 * refresh token, exchanged for access tokens by Webex's OAuth refresh-token grant). Every part must be a secret.
 */
import { z } from "zod";
import { SETTINGS_ENV, SETTINGS_KEYS } from "../lib/facts";

export const CREDENTIAL_PARTS = ["token", "clientId", "clientSecret", "refreshToken"] as const;
export type CredentialPart = (typeof CREDENTIAL_PARTS)[number];
/** The renewing credential's parts: given together, or not at all. */
export const RENEWING_PARTS = ["clientId", "clientSecret", "refreshToken"] as const;
/** The kinds of webexconnect/credentials.ts. */
export type CredentialKind = "token" | "refreshToken";

const PLACEHOLDER: Record<CredentialPart, string> = {
  token: "<token>",
  clientId: "<client id>",
  clientSecret: "<client secret>",
  refreshToken: "<refresh token>",
};

const setSecret = (part: CredentialPart) =>
  `pulumi config set --secret ${SETTINGS_KEYS[part]} ${PLACEHOLDER[part]}`;
const keyList = (parts: readonly CredentialPart[]) => parts.map((part) => SETTINGS_KEYS[part]).join(", ");

/** Per part: true when it is set and secret, false when it is set in plain text, absent when it is not set. */
export type CredentialSecrecy = Partial<Record<CredentialPart, boolean>>;

/** Each problem at the part's own key, naming the fix. Never sees a value. */
function credentialProblems(given: CredentialSecrecy, ctx: z.core.$RefinementCtx): void {
  const problem = (part: CredentialPart, message: string) =>
    ctx.addIssue({ code: "custom", path: [part], message });
  for (const part of CREDENTIAL_PARTS.filter((name) => given[name] === false)) {
    problem(part, `is stored in plain text: run \`${setSecret(part)}\``);
  }
  const renewing = RENEWING_PARTS.filter((part) => given[part] !== undefined);
  if (renewing.length === 0) {
    if (given.token === undefined)
      problem(
        "token",
        `is missing: run \`${setSecret("token")}\`, or export ${SETTINGS_ENV.token}; for scheduled runs give the ` +
          `renewing credential instead (${keyList(RENEWING_PARTS)}; docs/operations.md, "Credentials that last")`,
      );
    return;
  }
  for (const part of RENEWING_PARTS.filter((name) => given[name] === undefined)) {
    problem(
      part,
      `is missing: the renewing credential needs ${keyList(RENEWING_PARTS)} together, and only ` +
        `${keyList(renewing)} ${renewing.length === 1 ? "is" : "are"} set. Fix: run \`${setSecret(part)}\` (or ` +
        `export ${SETTINGS_ENV[part]}), or remove ${keyList(renewing)} to use ${SETTINGS_KEYS.token}`,
    );
  }
}

/**
 * The credential's secrecy as rawStackConfig gives it, validated, as the kind in use: the renewing credential when
 * its parts are set (it wins over a token, as in the providers), else the token.
 */
export const credentialSchema = z
  .strictObject({
    token: z.boolean().optional(),
    clientId: z.boolean().optional(),
    clientSecret: z.boolean().optional(),
    refreshToken: z.boolean().optional(),
  })
  .superRefine(credentialProblems)
  .transform((given): CredentialKind => (given.clientId === undefined ? "token" : "refreshToken"));
