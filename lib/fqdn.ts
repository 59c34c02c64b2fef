/**
 * The CCE Create Task / End Task "Domain" field takes a bare hostname: the user guide says to remove
 * "https" and any forward or backward slashes. These rules are shared by the flow binding and the edge.
 */

import { isIP } from "node:net";

export type FqdnCheck = { ok: true; fqdn: string } | { ok: false; message: string };

const MAX_FQDN_LENGTH = 253;
const MAX_LABEL_LENGTH = 63;
const LABEL = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

/**
 * Strips what people paste around a hostname: scheme, path, port, trailing dot, case. A scheme is "x://" or
 * "http(s):"; in "host:8443" the part before the colon is the host, not a scheme.
 */
function suggestBareHostname(value: string): string {
  return value
    .trim()
    .replace(/^([a-z][a-z0-9+.-]*:\/\/|https?:[\\/]*)/i, "")
    .replace(/^[\\/]+/, "")
    .split(/[\\/?#]/)[0]
    .replace(/:\d*$/, "")
    .replace(/\.$/, "")
    .toLowerCase();
}

/** Checks that `value` is a bare RFC 1123 hostname; on failure the message names the value and the fix. */
export function checkFqdn(value: string): FqdnCheck {
  const shown = JSON.stringify(value);
  const suggestion = suggestBareHostname(value);
  const fix = suggestion && suggestion !== value ? ` Use ${JSON.stringify(suggestion)} instead.` : "";
  if (value.trim() === "")
    return {
      ok: false,
      message:
        'is empty: give the FQDN of the reverse proxy in front of Cloud Connect, e.g. "cc.example.com".',
    };
  const bare = value.trim().replace(/^\[(.*)\]$/, "$1");
  if ([bare, suggestion].some((candidate) => isIP(candidate) !== 0)) {
    return {
      ok: false,
      message:
        `${shown} is an IP address; the Domain field takes the FQDN of the reverse proxy or load balancer in front ` +
        'of Cloud Connect (the name in its certificate and in DNS), e.g. "cc.example.com".',
    };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value) || /^https?:/i.test(value)) {
    return { ok: false, message: `${shown} has a URL scheme; the Domain field takes a bare hostname.${fix}` };
  }
  if (/[\\/]/.test(value)) {
    return {
      ok: false,
      message: `${shown} contains a forward or backward slash; the Domain field takes a bare hostname.${fix}`,
    };
  }
  if (/:\d*$/.test(value)) {
    return {
      ok: false,
      message: `${shown} has a port; the Domain field takes a bare hostname (the port is the proxy's).${fix}`,
    };
  }
  if (value !== value.trim()) return { ok: false, message: `${shown} has surrounding whitespace.${fix}` };
  if (value.length > MAX_FQDN_LENGTH) {
    return {
      ok: false,
      message: `${shown} is ${value.length} characters long; a hostname has at most ${MAX_FQDN_LENGTH}.`,
    };
  }
  const labels = value.split(".");
  if (labels.length < 2) {
    return {
      ok: false,
      message: `${shown} is not fully qualified; give the full DNS name, e.g. "${value}.example.com".`,
    };
  }
  for (const label of labels) {
    if (label.length > MAX_LABEL_LENGTH) {
      return {
        ok: false,
        message: `${shown} has the label "${label}" of ${label.length} characters; a label has at most ${MAX_LABEL_LENGTH}.`,
      };
    }
    if (!LABEL.test(label.toLowerCase())) {
      return {
        ok: false,
        message: `${shown} has the label ${JSON.stringify(label)}, which is not a valid DNS label (letters, digits and inner hyphens only).${fix}`,
      };
    }
  }
  if (/^\d+$/.test(labels[labels.length - 1])) {
    return {
      ok: false,
      message: `${shown} ends in the all-numeric label ${JSON.stringify(labels[labels.length - 1])}, which no top-level domain is; give the full DNS name, e.g. "cc.example.com".`,
    };
  }
  return { ok: true, fqdn: value.toLowerCase() };
}

/** Two spellings of one DNS name compare equal: case and a trailing dot are not part of the name. */
export function sameHost(a: string, b: string): boolean {
  const normal = (host: string) => host.trim().replace(/\.$/, "").toLowerCase();
  return normal(a) === normal(b);
}
