/**
 * The 10 KB line. Apple delivers a customer's response larger than 10 KB as an interactive data reference (a
 * download URL and a key) that the platform must fetch and decrypt; the response echoes the message's interactive
 * data, so a list picker with images "usually exceeds 10 KB" (register.apple.com/resources/messages/msp-api-tutorial/
 * advanced-interactive-messaging). A flow that receives such a response must handle the reference.
 */
import { classify } from "./kinds";
import { asFields, asList, at } from "./read";

/** 10 KB, counted as 10,000 bytes, so the estimate errs towards "by reference". */
export const RESPONSE_BY_REFERENCE_BYTES = 10_000;

/** The bytes of the message's interactive data, which the customer's response carries back with the answer. */
export function interactiveDataBytes(message: unknown): number {
  const data = at(message, ["interactiveData"]);
  return data === undefined ? 0 : Buffer.byteLength(JSON.stringify(data), "utf8");
}

/**
 * Whether the customer's response to `message` will (or, for a list picker with images, usually will) come by
 * reference rather than inline. Text and rich links get no interactive response.
 */
export function responseComesByReference(message: unknown): boolean {
  const kind = classify(message);
  if (kind === undefined || kind === "text" || kind === "richLink") return false;
  const images = asList(asFields(at(message, ["interactiveData", "data"]))?.images) ?? [];
  return (
    (kind === "listPicker" && images.length > 0) ||
    interactiveDataBytes(message) > RESPONSE_BY_REFERENCE_BYTES
  );
}
