/**
 * The ownership marker: the last line of a Webex Connect object's description names the stack that manages it
 * (`<project>/<stack>`), and may carry notes, e.g. what an adopted AMB asset's settings were before the stack first
 * touched it. Kept in Webex Connect itself, so it survives a run that dies before the engine records its state.
 */

export interface Ownership {
  /** The user's own text, without the marker. */
  description: string;
  owner?: string;
  notes: Record<string, string>;
}

/** How a stack names itself as the owner of Webex Connect objects. */
export function ownerName(project: string, stack: string): string {
  return `${project}/${stack}`;
}

const NOTE = /^([A-Za-z]+)=([^\];]*)$/;
const MARKER = /\n?\[managed by amb-cce-connect: ([^\];]+)((?:; [A-Za-z]+=[^\];]*)*)\]$/;

/** The description stored in Webex Connect: the user's text plus the marker (notes in the order given). */
export function describeOwned(
  description: string,
  owner: string,
  notes: Record<string, string> = {},
): string {
  const noteText = Object.entries(notes)
    .map(([key, value]) => `; ${key}=${value}`)
    .join("");
  return `${description}${description ? "\n" : ""}[managed by amb-cce-connect: ${owner}${noteText}]`;
}

/** Splits a stored description into the user's text, the owner and the notes (no owner when there is no marker). */
export function parseOwnedDescription(stored: string): Ownership {
  const match = MARKER.exec(stored);
  if (!match) return { description: stored, notes: {} };
  const notes: Record<string, string> = {};
  for (const part of match[2].split("; ").filter(Boolean)) {
    const [, key, value] = NOTE.exec(part)!;
    notes[key] = value;
  }
  return { description: stored.slice(0, match.index), owner: match[1], notes };
}
