/**
 * The Cloud Connect edge carries the channel. Its haproxy.cfg (the ConfigMap edge/haproxyConfig.ts renders)
 * must let 100 MB attachments through, speak TLS 1.2 or newer on every TLS listener and towards Cloud Connect, and
 * health-check every Cloud Connect server, so a dead node is taken out instead of failing requests.
 */
import { posix } from "node:path";
import { BODY_LIMIT_FILTER } from "../../edge/bodyLimitFilter";
import { CONTAINER_CONFIG_FILE, MIN_BODY_LIMIT_BYTES } from "../../edge/types";
import { resourcePolicy } from "./define";
import { asObject, Outcome, type ResourceView } from "./engineValues";
import {
  boundAddresses,
  locate,
  outboundServers,
  parseHaproxyConfig,
  type HaproxyLine,
  type HaproxySection,
} from "./haproxyParse";
import { CONFIG_MAP_TYPE, describeResource, isEdgeObject } from "./resources";

const HAPROXY_CONFIG_KEY = posix.basename(CONTAINER_CONFIG_FILE);

const PROXY_SECTIONS = new Set(["defaults", "frontend", "backend", "listen"]);
const SERVER_SECTIONS = new Set(["backend", "listen"]);
const BIND_SECTIONS = new Set(["frontend", "listen"]);

/** Fetches that measure the request body; a deny rule comparing one with a number caps the body size. */
const BODY_SIZE_FETCH = /^(req\.)?f?hdr_val\(content-length(,[^)]*)?\)$|^req\.body_(size|len)$/i;
const DENY_ACTIONS = new Set(["deny", "reject", "tarpit", "silent-drop", "return"]);

/**
 * The largest body a comparison lets through when it denies: `if … gt N` → N, `if … ge N` → N − 1, and the same
 * with `unless … le N` / `unless … lt N`. Other comparisons cap nothing.
 */
function allowedBytes(operator: string, value: string, negated: boolean): number | undefined {
  const limit = Number(value);
  if (!Number.isInteger(limit)) return undefined;
  const caps: Record<string, number> = negated ? { le: limit, lt: limit - 1 } : { gt: limit, ge: limit - 1 };
  return caps[operator];
}

/** The body cap of a comparison `fetch [flags] operator value`, starting at `words[0]` and ending at a `}`. */
function bodyCap(comparison: string[], negated: boolean): number | undefined {
  const end = comparison.indexOf("}");
  const words = end < 0 ? comparison : comparison.slice(0, end);
  if (!BODY_SIZE_FETCH.test(words[0] ?? "")) return undefined;
  const operatorIndex = words.findIndex((word) => ["gt", "ge", "lt", "le", "eq"].includes(word));
  return operatorIndex < 0
    ? undefined
    : allowedBytes(words[operatorIndex], words[operatorIndex + 1] ?? "", negated);
}

/** The streaming body limit (edge/bodyLimitFilter.ts) cuts bodies sent without Content-Length at its argument. */
function streamingLimitProblems(section: HaproxySection): string[] {
  return section.lines
    .filter((line) => line.words[0] === "filter" && line.words[1] === `lua.${BODY_LIMIT_FILTER}`)
    .filter((line) => !(Number(line.words[2]) >= MIN_BODY_LIMIT_BYTES))
    .map(
      (line) =>
        `${locate(section, line)}: "filter lua.${BODY_LIMIT_FILTER} ${line.words[2] ?? ""}" cuts request bodies ` +
        `sent without Content-Length over ${line.words[2] ?? "?"} bytes; Apple Messages for Business ` +
        `attachments reach 100 MB. Fix: allow at least ${MIN_BODY_LIMIT_BYTES} bytes (maxBodyBytes of the edge ` +
        "configuration).",
    );
}

function bodyLimitProblems(section: HaproxySection): string[] {
  const aclWords = new Map<string, string[]>();
  for (const line of section.lines) {
    if (line.words[0] === "acl" && line.words[1] !== undefined)
      aclWords.set(line.words[1], line.words.slice(2));
  }
  return section.lines.flatMap((line) => {
    const [directive, action] = line.words;
    if (
      !["http-request", "tcp-request"].includes(directive) ||
      !line.words.some((word) => DENY_ACTIONS.has(word))
    )
      return [];
    const conditionIndex = line.words.findIndex((word) => word === "if" || word === "unless");
    if (conditionIndex < 0) return [];
    const negated = line.words[conditionIndex] === "unless";
    const condition = line.words.slice(conditionIndex + 1);
    const caps = condition.flatMap((word, index) => {
      const inline = condition[index - 1] === "{" ? bodyCap(condition.slice(index), negated) : undefined;
      const named = aclWords.has(word) ? bodyCap(aclWords.get(word) ?? [], negated) : undefined;
      return [inline, named].filter((cap): cap is number => cap !== undefined);
    });
    return caps
      .filter((cap) => cap < MIN_BODY_LIMIT_BYTES)
      .map(
        (cap) =>
          `${locate(section, line)}: "${directive} ${action} …" refuses request bodies over ${cap} bytes; Apple ` +
          `Messages for Business attachments reach 100 MB. Fix: allow at least ${MIN_BODY_LIMIT_BYTES} bytes ` +
          "(maxBodyBytes of the edge configuration).",
      );
  });
}

const TLS_VERSIONS = ["SSLv3", "TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3"];
const MIN_TLS_VERSION = "TLSv1.2";
const FORCE_OPTIONS: Record<string, string> = {
  "force-sslv3": "SSLv3",
  "force-tlsv10": "TLSv1.0",
  "force-tlsv11": "TLSv1.1",
  "force-tlsv12": "TLSv1.2",
  "force-tlsv13": "TLSv1.3",
};
const OLD_PROTOCOL_OPTIONS = ["no-sslv3", "no-tlsv10", "no-tlsv11"];

/** The lowest protocol version `words` allow, or undefined when they leave it to a default. */
function minimumTlsVersion(words: string[]): string | undefined {
  const explicit = words.indexOf("ssl-min-ver");
  if (explicit >= 0) return words[explicit + 1] ?? "";
  const forced = words.find((word) => Object.hasOwn(FORCE_OPTIONS, word));
  if (forced !== undefined) return FORCE_OPTIONS[forced];
  return OLD_PROTOCOL_OPTIONS.every((option) => words.includes(option)) ? MIN_TLS_VERSION : undefined;
}

function tlsVersionProblem(where: string, version: string | undefined, fix: string): string | undefined {
  if (version === undefined) {
    return `${where} sets no minimum TLS version, so it depends on the HAProxy build. Fix: ${fix}.`;
  }
  if (TLS_VERSIONS.indexOf(version) >= TLS_VERSIONS.indexOf(MIN_TLS_VERSION)) return undefined;
  return `${where} allows ${version}; the Cloud Connect path needs ${MIN_TLS_VERSION} or newer. Fix: ${fix}.`;
}

function globalOptions(sections: HaproxySection[], directive: string): string[] | undefined {
  const lines = sections
    .filter((section) => section.kind === "global")
    .flatMap((section) => section.lines.filter((line) => line.words[0] === directive));
  return lines.length === 0 ? undefined : lines.flatMap((line) => line.words.slice(1));
}

/** Words a server line inherits: default-server lines of the last defaults section and earlier in its own section. */
function inheritedServerWords(sections: HaproxySection[], sectionIndex: number, line: HaproxyLine): string[] {
  const defaults = sections
    .slice(0, sectionIndex)
    .filter((section) => section.kind === "defaults")
    .at(-1);
  const earlier = sections[sectionIndex].lines.filter((other) => other.lineNumber < line.lineNumber);
  return [...(defaults?.lines ?? []), ...earlier]
    .filter((other) => other.words[0] === "default-server")
    .flatMap((other) => other.words.slice(1));
}

function serverProblems(
  sections: HaproxySection[],
  sectionIndex: number,
  serverOptions?: string[],
): string[] {
  const section = sections[sectionIndex];
  return outboundServers(section, boundAddresses(sections)).flatMap((line) => {
    const own = line.words.slice(2);
    const inherited = inheritedServerWords(sections, sectionIndex, line);
    const where = `${locate(section, line)}: server ${line.words[1] ?? ""}`;
    const problems: string[] = [];
    const checked = !own.includes("no-check") && (own.includes("check") || inherited.includes("check"));
    if (!checked) {
      problems.push(
        `${where} has no health check, so requests keep going to a Cloud Connect node that is down. ` +
          'Fix: add "check" to the server line or to default-server.',
      );
    }
    if ((own.includes("ssl") || inherited.includes("ssl")) && !own.includes("no-ssl")) {
      const version =
        minimumTlsVersion(own) ?? minimumTlsVersion(inherited) ?? minimumTlsVersion(serverOptions ?? []);
      const problem = tlsVersionProblem(
        where,
        version,
        `add "ssl-min-ver ${MIN_TLS_VERSION}" to the server line, or to ssl-default-server-options in global`,
      );
      if (problem !== undefined) problems.push(problem);
    }
    return problems;
  });
}

function bindProblems(section: HaproxySection, bindOptions?: string[]): string[] {
  return section.lines
    .filter((line) => line.words[0] === "bind" && line.words.includes("ssl"))
    .flatMap((line) => {
      const version = minimumTlsVersion(line.words) ?? minimumTlsVersion(bindOptions ?? []);
      const problem = tlsVersionProblem(
        `${locate(section, line)}: bind ${line.words[1] ?? ""}`,
        version,
        `add "ssl-min-ver ${MIN_TLS_VERSION}" to the bind line, or to ssl-default-bind-options in global`,
      );
      return problem === undefined ? [] : [problem];
    });
}

/** Every problem of an edge haproxy.cfg, in file order per kind: body limits, TLS listeners, servers. */
export function haproxyConfigProblems(text: string): string[] {
  const sections = parseHaproxyConfig(text);
  const bindOptions = globalOptions(sections, "ssl-default-bind-options");
  const serverOptions = globalOptions(sections, "ssl-default-server-options");
  return sections.flatMap((section, index) => [
    ...(PROXY_SECTIONS.has(section.kind)
      ? [...bodyLimitProblems(section), ...streamingLimitProblems(section)]
      : []),
    ...(BIND_SECTIONS.has(section.kind) ? bindProblems(section, bindOptions) : []),
    ...(SERVER_SECTIONS.has(section.kind) ? serverProblems(sections, index, serverOptions) : []),
  ]);
}

export function checkEdgeProxyConfig(configMap: ResourceView): Outcome {
  const outcome = new Outcome();
  const subject = describeResource(configMap);
  const { data } = configMap.props;
  if (!outcome.known(data, `${subject} data`)) return outcome;
  const text = asObject(data)?.[HAPROXY_CONFIG_KEY];
  if (!outcome.known(text, `${subject} data.${HAPROXY_CONFIG_KEY}`)) return outcome;
  if (typeof text !== "string") {
    outcome.fail(
      `${subject} of the Cloud Connect edge has no ${HAPROXY_CONFIG_KEY}. ` +
        "Fix: create the edge with CloudConnectEdge, which renders it from the edge configuration.",
    );
    return outcome;
  }
  for (const problem of haproxyConfigProblems(text))
    outcome.fail(`${subject} ${HAPROXY_CONFIG_KEY}, ${problem}`);
  return outcome;
}

export const edgeProxyPolicy = resourcePolicy({
  name: "edge-proxy-carries-the-channel",
  description:
    "The Cloud Connect edge's haproxy.cfg admits 100 MB bodies, uses TLS 1.2 or newer, and health-checks every Cloud Connect server.",
  enforcementLevel: "mandatory",
  appliesTo: (resource) => isEdgeObject(resource, CONFIG_MAP_TYPE),
  check: checkEdgeProxyConfig,
});
