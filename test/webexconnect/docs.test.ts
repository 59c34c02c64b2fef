/** docs/webex-connect-routes.md carries the same route table as webexconnect/routes.ts. */
import * as fs from "node:fs";
import * as path from "node:path";
import { ROUTES, ROUTE_NAMES, type RouteSpec } from "../../webexconnect/routes";

const doc = fs.readFileSync(path.join(__dirname, "../../docs/webex-connect-routes.md"), "utf8");

/** The route table's rows as trimmed cells (prettier pads them). */
const tableRows = doc
  .split("\n")
  .filter((line) => /^\|\s*`[\w.]+`\s*\|/.test(line))
  .map((line) =>
    line
      .split("|")
      .slice(1, -1)
      .map((cell) => cell.trim()),
  );

function expectedCells(name: string, spec: RouteSpec): string[] {
  const query = spec.fixedQuery ? `?${new URLSearchParams(spec.fixedQuery)}` : "";
  return [
    `\`${name}\``,
    spec.method,
    `\`${spec.path}${query}\``,
    spec.fidelity,
    spec.idempotent ? "yes" : "no",
    spec.permission,
  ];
}

test("every route has its row, with method, path, fidelity, idempotence and permission", () => {
  for (const name of ROUTE_NAMES) {
    const rows = tableRows.filter((cells) => cells[0] === `\`${name}\``);
    expect(rows).toHaveLength(1);
    expect(rows[0].slice(0, 6)).toEqual(expectedCells(name, ROUTES[name]));
  }
});

test("the doc lists no route the module lacks", () => {
  expect(tableRows.map((cells) => cells[0].replace(/`/g, "")).sort()).toEqual([...ROUTE_NAMES].sort());
});

test("the doc names every documented source and the command that starts the emulator", () => {
  for (const name of ROUTE_NAMES) {
    const spec: RouteSpec = ROUTES[name];
    if (spec.fidelity === "documented") expect(doc).toContain(spec.source);
  }
  expect(doc).toContain(
    "node -r ts-node/register/transpile-only emulator/cli.ts --port 8787 --data-dir .work/emulator",
  );
});
