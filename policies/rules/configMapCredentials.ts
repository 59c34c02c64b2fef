/**
 * No credential in a ConfigMap. ConfigMaps are stored unencrypted, readable by anyone who may read the
 * namespace's configuration, and printed by `kubectl describe`; credentials belong in Secrets. A key fails when
 * its name says it holds a credential; a value fails when it looks like one, whatever its key.
 */
import { credentialKeyReason } from "../../lib/credentialNames";
import { resourcePolicy } from "./define";
import { asObject, Outcome, type ResourceView } from "./engineValues";
import { CONFIG_MAP_TYPE, describeResource } from "./resources";

/** Shannon entropy in bits per character: random tokens score high, words and paths low. */
function entropy(text: string): number {
  const counts = new Map<string, number>();
  for (const char of text) counts.set(char, (counts.get(char) ?? 0) + 1);
  return [...counts.values()].reduce((sum, count) => {
    const p = count / text.length;
    return sum - p * Math.log2(p);
  }, 0);
}

interface Detector {
  what: string;
  pattern: RegExp;
  accept?: (match: RegExpExecArray, text: string) => boolean;
}

/** Thresholds follow common secret scanners: base64 ≥ 4.5 bits/char, hex ≥ 3 bits/char. */
const DETECTORS: Detector[] = [
  { what: "a PEM private key", pattern: /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/g },
  { what: "a JWT", pattern: /\beyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g },
  { what: "an HTTP Authorization credential", pattern: /\b(?:Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{16,}/g },
  { what: "a URL with a password", pattern: /\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@]*:[^\s/@]+@/gi },
  {
    what: "a long hex secret",
    pattern: /(?<![A-Za-z0-9])[0-9A-Fa-f]{32,}(?![A-Za-z0-9])/g,
    // A content digest (sha256:…) identifies an image or file; it is not a credential.
    accept: (match, text) =>
      /[a-f]/i.test(match[0]) &&
      /[0-9]/.test(match[0]) &&
      entropy(match[0]) >= 3 &&
      !/sha(1|224|256|384|512):$/i.test(text.slice(Math.max(0, match.index - 7), match.index)),
  },
  {
    what: "a long base64 secret",
    pattern: /(?<![A-Za-z0-9+/])[A-Za-z0-9+/]{40,}={0,2}/g,
    accept: (match) =>
      /[a-z]/.test(match[0]) && /[A-Z]/.test(match[0]) && /[0-9]/.test(match[0]) && entropy(match[0]) >= 4.5,
  },
];

/**
 * What in `text` looks like a credential, each with its line number; never the text itself. Detectors run from
 * the most specific, and a match inside an earlier one (the signature of a JWT, say) is not reported again.
 */
export function credentialLikeValues(text: string): Array<{ what: string; line: number }> {
  const taken: Array<{ start: number; end: number }> = [];
  const found: Array<{ what: string; line: number }> = [];
  for (const detector of DETECTORS) {
    for (const match of text.matchAll(detector.pattern)) {
      const start = match.index;
      const end = start + match[0].length;
      if (taken.some((span) => start < span.end && span.start < end)) continue;
      if (!(detector.accept?.(match, text) ?? true)) continue;
      taken.push({ start, end });
      found.push({ what: detector.what, line: text.slice(0, start).split("\n").length });
    }
  }
  return found;
}

/** `text` with every credential-looking span replaced by what it looks like, so a report can show the rest. */
export function redactCredentialLikeValues(text: string): string {
  let redacted = text;
  for (const detector of DETECTORS) {
    const accepted = [...redacted.matchAll(detector.pattern)].filter(
      (match) => detector.accept?.(match, redacted) ?? true,
    );
    for (const match of accepted.reverse())
      redacted =
        redacted.slice(0, match.index) +
        `[hidden: ${detector.what}]` +
        redacted.slice(match.index + match[0].length);
  }
  return redacted;
}

/** binaryData is base64; text inside it is checked like data, opaque bytes by their key only. */
function decodedText(base64: string): string | undefined {
  const text = Buffer.from(base64, "base64").toString("utf8");
  const isControl = (char: string) => char.charCodeAt(0) < 0x20 && !"\t\n\r".includes(char);
  return text.includes("\uFFFD") || [...text].some(isControl) ? undefined : text;
}

export function checkConfigMapCredentials(configMap: ResourceView): Outcome {
  const outcome = new Outcome();
  const subject = describeResource(configMap);
  const fix =
    "a ConfigMap is stored and shown in plain text. Fix: move the credential to a Secret and mount it as a file " +
    "(as IntegrationService does with the Webex Connect token).";
  for (const field of ["data", "binaryData"] as const) {
    const entries = configMap.props[field];
    if (!outcome.known(entries, `${subject} ${field}`)) continue;
    for (const [key, value] of Object.entries(asObject(entries) ?? {})) {
      const keyReason = credentialKeyReason(key);
      if (keyReason !== undefined)
        outcome.fail(`${subject}: ${field} key ${JSON.stringify(key)} ${keyReason}; ${fix}`);
      if (!outcome.known(value, `${subject} ${field}.${key}`) || typeof value !== "string") continue;
      const text = field === "data" ? value : decodedText(value);
      for (const found of text === undefined ? [] : credentialLikeValues(text)) {
        const line = text !== undefined && text.includes("\n") ? ` (line ${found.line})` : "";
        outcome.fail(
          `${subject}: the value of ${field} key ${JSON.stringify(key)}${line} looks like ${found.what}; ${fix}`,
        );
      }
    }
  }
  return outcome;
}

export const configMapCredentialsPolicy = resourcePolicy({
  name: "no-credentials-in-configmaps",
  description:
    "No ConfigMap key or value holds a credential (token, secret, password, key, JWT, key material).",
  enforcementLevel: "mandatory",
  appliesTo: (resource) => resource.type === CONFIG_MAP_TYPE,
  check: checkConfigMapCredentials,
});
