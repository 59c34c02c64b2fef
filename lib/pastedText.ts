/**
 * What copying a value from a portal, an e-mail or a Windows file leaves around it: blanks, quotes that YAML keeps
 * as part of the value, a carriage return, a tab, invisible characters. Each is a value no service matches.
 */

const INVISIBLE = /[\u00a0\u200b-\u200d\u2060\ufeff]/;
const QUOTES = /^(["'\u2018\u2019\u201c\u201d`])(.*)(["'\u2018\u2019\u201c\u201d`])$/s;

/** The value without what pasting added. */
function cleaned(value: string): string {
  let result = value.replace(new RegExp(INVISIBLE.source, "g"), "").replace(/\r/g, "").trim();
  for (let match = QUOTES.exec(result); match !== null; match = QUOTES.exec(result)) result = match[2].trim();
  return result;
}

/** The problem of a one-line value as pasted, with the fix; undefined when it is clean. */
export function pastedTextProblem(value: string): string | undefined {
  const shown = JSON.stringify(value);
  const fix = `Fix: use ${JSON.stringify(cleaned(value))}.`;
  if (value.includes("\r")) {
    return `${shown} contains a carriage return (\\r), as a value read from a file with Windows line endings does. ${fix}`;
  }
  if (INVISIBLE.test(value)) {
    const code = INVISIBLE.exec(value)?.[0].codePointAt(0)?.toString(16).toUpperCase().padStart(4, "0");
    return `${shown} contains the invisible character U+${code}, as text copied from a web page can. ${fix}`;
  }
  if (value.includes("\t")) return `${shown} contains a tab. ${fix}`;
  if (value !== value.trim()) return `${shown} has blanks around it. ${fix}`;
  if (value.length >= 2 && QUOTES.test(value)) {
    return `${shown} is wrapped in quotes that are part of the value (YAML keeps quotes inside quotes). ${fix}`;
  }
  return undefined;
}
