/**
 * A small reader for haproxy.cfg text: sections and their lines split into words the way HAProxy splits them
 * (quotes, backslash escapes, `#` comments). Enough for the edge rules to find bind, server, acl and
 * http-request lines; it does not interpret anything else.
 */

export interface HaproxyLine {
  lineNumber: number;
  words: string[];
}

export interface HaproxySection {
  /** "global", "defaults", "frontend", "backend", "listen", … */
  kind: string;
  name: string;
  lineNumber: number;
  lines: HaproxyLine[];
}

const SECTION_KINDS = new Set([
  "global",
  "defaults",
  "frontend",
  "backend",
  "listen",
  "resolvers",
  "peers",
  "userlist",
  "mailers",
  "program",
  "http-errors",
  "ring",
  "cache",
  "log-forward",
  "crt-store",
  "traces",
  "fcgi-app",
]);

/** Splits one line into words; quotes group, a backslash escapes the next character, `#` starts a comment. */
export function splitWords(line: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  let quote: '"' | "'" | undefined;
  for (let index = 0; index < line.length; index++) {
    const char = line[index];
    if (quote !== undefined) {
      if (char === quote) quote = undefined;
      else if (char === "\\" && quote === '"' && index + 1 < line.length) word += line[++index];
      else word += char;
    } else if (char === "#") {
      break;
    } else if (char === " " || char === "\t") {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (char === '"' || char === "'") {
      quote = char;
      word ??= "";
    } else if (char === "\\" && index + 1 < line.length) {
      word = (word ?? "") + line[++index];
    } else {
      word = (word ?? "") + char;
    }
  }
  if (word !== undefined) words.push(word);
  return words;
}

/** The sections of `text` in order; lines before the first section header are ignored, as HAProxy rejects them. */
export function parseHaproxyConfig(text: string): HaproxySection[] {
  const sections: HaproxySection[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    const words = splitWords(line);
    if (words.length === 0) return;
    const lineNumber = index + 1;
    if (SECTION_KINDS.has(words[0])) {
      sections.push({ kind: words[0], name: words[1] ?? "", lineNumber, lines: [] });
    } else {
      sections.at(-1)?.lines.push({ lineNumber, words });
    }
  });
  return sections;
}

/** `frontend webex_connect, line 52` */
export function locate(section: HaproxySection, line: HaproxyLine): string {
  return `${section.kind}${section.name === "" ? "" : ` ${section.name}`}, line ${line.lineNumber}`;
}

/**
 * Addresses this config binds in its frontends and listen sections. A server at one of them is a hop back into the
 * same HAProxy (the edge's relay), not a Cloud Connect node.
 */
export function boundAddresses(sections: HaproxySection[]): Set<string> {
  return new Set(
    sections
      .filter((section) => section.kind === "frontend" || section.kind === "listen")
      .flatMap((section) => section.lines.filter((line) => line.words[0] === "bind"))
      .map((line) => line.words[1] ?? ""),
  );
}

/** The server and server-template lines of `section` that lead out of this HAProxy, to a node. */
export function outboundServers(section: HaproxySection, bound: Set<string>): HaproxyLine[] {
  return section.lines.filter(
    (line) =>
      (line.words[0] === "server" || line.words[0] === "server-template") && !bound.has(line.words[2] ?? ""),
  );
}
