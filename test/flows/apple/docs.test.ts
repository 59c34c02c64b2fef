/** docs/rich-messages.md lists every rule of the registry with its page, and no rule that is gone. */
import * as fs from "node:fs";
import * as path from "node:path";
import { APPLE_MESSAGE_RULES } from "../../../flows/apple";

const doc = fs.readFileSync(path.join(__dirname, "..", "..", "..", "docs", "rich-messages.md"), "utf8");
/** The rule table's rows: the id (without its backticks) and the source cell. */
const ruleRows = doc
  .split("\n")
  .map((line) => line.split("|").map((cell) => cell.trim()))
  .filter((cells) => /^`[a-z0-9-]+\.[a-z0-9-]+`$/.test(cells[1] ?? ""))
  .map(([, id, , source]) => ({ id: id.slice(1, -1), source }));

it("has a row for every rule, naming its source page and who publishes it", () => {
  const missing = APPLE_MESSAGE_RULES.filter((rule) => {
    const row = ruleRows.find(({ id }) => id === rule.id);
    const by = rule.source.apple ? "Apple" : `${rule.source.publisher} (third party)`;
    return row === undefined || row.source !== `[${by}](${rule.source.url})`;
  }).map((rule) => rule.id);
  expect(missing).toEqual([]);
});

it("has no row for a rule the registry does not hold", () => {
  const known = new Set(APPLE_MESSAGE_RULES.map((rule) => rule.id));
  expect(ruleRows.map(({ id }) => id).filter((id) => !known.has(id))).toEqual([]);
});
