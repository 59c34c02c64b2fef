/** The pack's list of policies against docs/policies.md: every policy is documented with the level it runs at. */
import * as fs from "node:fs";
import * as path from "node:path";
import { ambCcePolicies } from "../../policies/rules";
import { repoRoot } from "../../harness/pulumiEngine";

const documented = new Map(
  [
    ...fs
      .readFileSync(path.join(repoRoot, "docs", "policies.md"), "utf8")
      .matchAll(/^\| `([a-z0-9-]+)` +\| (\w+) +\|/gm),
  ].map((match) => [match[1], match[2]]),
);

test("every policy has a unique name and is documented with its enforcement level", () => {
  const names = ambCcePolicies.map((policy) => policy.name);
  expect(new Set(names).size).toBe(names.length);
  expect(Object.fromEntries(ambCcePolicies.map((policy) => [policy.name, policy.enforcementLevel]))).toEqual(
    Object.fromEntries(documented),
  );
});

test("what breaks the channel or security is mandatory; only rules with a reasoned exception are advisory", () => {
  const advisory = ambCcePolicies
    .filter((policy) => policy.enforcementLevel === "advisory")
    .map((policy) => policy.name);
  expect(advisory).toEqual([
    "amb-data-stream-waived",
    "edge-fails-over",
    "edge-allow-list-closed",
    "workload-resources-set",
  ]);
});

test("the pack is versioned with the project: PolicyPack reads policies/package.json", () => {
  const versionOf = (file: string) =>
    (JSON.parse(fs.readFileSync(path.join(repoRoot, file), "utf8")) as { version: string }).version;
  expect(versionOf("policies/package.json")).toBe(versionOf("package.json"));
});
