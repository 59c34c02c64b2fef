/** docs/webex-connect-routes.md carries the same route table as webexconnect/routes.ts. */
import * as fs from "node:fs";
import * as path from "node:path";
import { ROUTES, ROUTE_NAMES, type RouteSpec } from "../../webexconnect/routes";

const doc = fs.readFileSync(path.join(__dirname, "../../docs/webex-connect-routes.md"), "utf8");
const tableRows = doc.split("\n").filter((line) => /^\| `[\w.]+` \|/.test(line));

function expectedRowStart(name: string, spec: RouteSpec): string {
  const query = spec.fixedQuery ? `?${new URLSearchParams(spec.fixedQuery)}` : "";
  const idempotent = spec.idempotent ? "yes" : "no";
  return `| \`${name}\` | ${spec.method} | \`${spec.path}${query}\` | ${spec.fidelity} | ${idempotent} | ${spec.permission} |`;
}

test("every route has its row, with method, path, fidelity, idempotence and permission", () => {
  for (const name of ROUTE_NAMES) {
    const row = expectedRowStart(name, ROUTES[name]);
    expect(tableRows.filter((line) => line.startsWith(row))).toHaveLength(1);
  }
});

test("the doc lists no route the module lacks", () => {
  const documented = tableRows.map((line) => /^\| `([\w.]+)`/.exec(line)![1]);
  expect(documented.sort()).toEqual([...ROUTE_NAMES].sort());
});

test("the doc names every documented source and the command that starts the emulator", () => {
  for (const name of ROUTE_NAMES) {
    const spec: RouteSpec = ROUTES[name];
    if (spec.fidelity === "documented") expect(doc).toContain(spec.source);
  }
  expect(doc).toContain("node -r ts-node/register/transpile-only emulator/cli.ts --port 8787 --data-dir .work/emulator");
});
