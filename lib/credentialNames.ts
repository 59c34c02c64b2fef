/**
 * Whether a key's name says it holds a credential (API_TOKEN, jwtSecret, tls.key), unless its last word makes it a
 * reference to one (TOKEN_FILE, SECRET_NAME). One rule for the policy pack's ConfigMap check and the integration
 * service's settings in the stack config.
 */

/** Words that, as a word of a key name, say the value is a credential. */
const CREDENTIAL_WORDS = new Set([
  "token",
  "tokens",
  "secret",
  "secrets",
  "password",
  "passwords",
  "passwd",
  "pwd",
  "passphrase",
  "key",
  "keys",
  "apikey",
  "jwt",
  "credential",
  "credentials",
  "privatekey",
  "accesskey",
  "secretkey",
  "clientsecret",
]);

/** A last word that makes the key a reference to, or a setting about, a credential: TOKEN_FILE, SECRET_NAME, … */
const REFERENCE_WORDS = new Set([
  "file",
  "path",
  "dir",
  "directory",
  "url",
  "uri",
  "endpoint",
  "name",
  "id",
  "ref",
  "header",
  "ttl",
  "timeout",
  "expiry",
  "expiration",
  "length",
  "size",
  "type",
  "algorithm",
  "issuer",
  "audience",
  "prefix",
  "suffix",
  "format",
  "version",
  "mode",
  "enabled",
]);

/** File names of private keys and keystores, e.g. "tls.key", "client.p12". */
const CREDENTIAL_FILE = /\.(key|p12|pfx|jks|keystore)$/i;

/** API_TOKEN → [api, token]; jwtSecret → [jwt, secret]; tls.key → [tls, key]. */
function keyWords(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .split(/[^A-Za-z0-9]+/)
    .filter((word) => word !== "")
    .map((word) => word.toLowerCase());
}

/** Why the key's name says it holds a credential, or undefined. */
export function credentialKeyReason(key: string): string | undefined {
  if (CREDENTIAL_FILE.test(key)) return "is named like a private key or keystore file";
  const words = keyWords(key);
  const credential = words.find((word) => CREDENTIAL_WORDS.has(word));
  if (credential === undefined) return undefined;
  const last = words[words.length - 1];
  if (last !== credential && REFERENCE_WORDS.has(last)) return undefined;
  return `names a credential (${JSON.stringify(credential)})`;
}
