/** lib/credentialNames.ts: what a key's name says. */
import { credentialKeyReason } from "../../lib/credentialNames";

describe("credentialKeyReason: what a key's name says", () => {
  test.each([
    ["API_TOKEN", 'names a credential ("token")'],
    ["jwtSecret", 'names a credential ("jwt")'],
    ["DB_PASSWORD", 'names a credential ("password")'],
    ["apiKey", 'names a credential ("key")'],
    ["tls.key", "is named like a private key or keystore file"],
    ["client.p12", "is named like a private key or keystore file"],
  ])("%s %s", (key, reason) => expect(credentialKeyReason(key)).toBe(reason));

  test.each([
    "WEBEX_CONNECT_TOKEN_FILE",
    "TLS_SECRET_NAME",
    "CACHE_KEY_PREFIX",
    "KEYCLOAK_URL",
    "LOG_LEVEL",
    "haproxy.cfg",
  ])("%s is not a credential", (key) => expect(credentialKeyReason(key)).toBeUndefined());
});
