/** Authentication: the new message (iOS 16, macOS 13), which asks the customer's OAuth provider for a code only. */
import { asFields, asList, at, isText, shown, type Path } from "../read";
import { DATA, finding, type AppleMessageRule, type Finding } from "../rule";
import { SOURCES } from "../sources";

const OAUTH2: Path = [...DATA, "authenticate", "oauth2"];
/** Fields only the deprecated classic message carries: it fetched the token itself, with the client secret. */
export const CLASSIC_AUTHENTICATION_FIELDS = ["clientSecret", "responseEncryptionKey"];

/** True for the deprecated classic authentication message (capability AUTH), false for the new one (AUTH2). */
export function isClassicAuthentication(message: unknown): boolean {
  const oauth2 = asFields(at(message, OAUTH2));
  return oauth2 !== undefined && CLASSIC_AUTHENTICATION_FIELDS.some((key) => oauth2[key] !== undefined);
}

export const AUTHENTICATION_RULES: readonly AppleMessageRule[] = [
  {
    id: "authentication.oauth2",
    description:
      'data.authenticate.oauth2 has responseType "code", a non-empty scope list and a state; the OAuth provider ' +
      "itself is registered at Apple Business Register.",
    source: SOURCES.authenticationTutorial,
    appliesTo: ["authentication"],
    check: (message) => {
      const oauth2 = asFields(at(message, OAUTH2));
      if (oauth2 === undefined) {
        return [
          finding(
            OAUTH2,
            `is ${shown(at(message, OAUTH2))}; give { responseType: "code", scope: [...], state }.`,
          ),
        ];
      }
      const found: Finding[] = [];
      if (oauth2.responseType !== "code") {
        found.push(
          finding(
            [...OAUTH2, "responseType"],
            `is ${shown(oauth2.responseType)}; the authentication message asks for an authorization code: write "code".`,
          ),
        );
      }
      const scope = asList(oauth2.scope);
      if (scope === undefined || scope.length === 0 || !scope.every(isText)) {
        found.push(
          finding(
            [...OAUTH2, "scope"],
            `is ${shown(oauth2.scope)}; list the OAuth scopes to ask for, e.g. ["profile"].`,
          ),
        );
      }
      if (!isText(oauth2.state)) {
        found.push(
          finding(
            [...OAUTH2, "state"],
            `is ${shown(oauth2.state)}; give a state, a value your OAuth callback checks (a fresh nonce per request).`,
          ),
        );
      }
      return found;
    },
  },
  {
    id: "authentication.classic",
    description:
      "The message carries no clientSecret or responseEncryptionKey: those make it the classic authentication " +
      "message, deprecated since the new one became required of every platform in fall 2022.",
    source: SOURCES.authenticationDeprecated,
    appliesTo: ["authentication"],
    // Never show the values: one is a client secret.
    check: (message) => {
      const oauth2 = asFields(at(message, OAUTH2));
      return CLASSIC_AUTHENTICATION_FIELDS.filter((key) => oauth2?.[key] !== undefined).map((key) =>
        finding(
          [...OAUTH2, key],
          "belongs to the deprecated classic authentication message; remove it to send the new one (iOS 16, macOS 13), " +
            "and keep the client secret with the OAuth provider, not in a message.",
        ),
      );
    },
  },
];
