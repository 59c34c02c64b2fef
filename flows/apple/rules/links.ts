/** URLs as Apple takes them: https only (custom schemes do not open from a rich link; universal links are https). */
import { shown } from "../read";

export function isHttpsUrl(value: unknown): boolean {
  if (typeof value !== "string") return false;
  try {
    const url = new URL(value);
    return url.protocol === "https:" && url.hostname !== "";
  } catch {
    return false;
  }
}

export function httpsUrlMessage(value: unknown, what: string): string {
  return `is ${shown(value)}; give ${what} as an absolute https URL (a custom scheme such as myapp:// does not work; use a universal link, which is https).`;
}
