/**
 * A recovery the CLI refuses says why, even when the CLI printed its error to standard output, or printed nothing
 * (killed under load): the reason names the exit code and the last lines printed, never an empty string. The CLI is
 * a shell script here: the real one cannot be made to fail on cue with nothing on standard error.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { scratchDir } from "../../harness/pulumiEngine";
import { thisMachine } from "../../ops/backendLocks";
import { recoverStack } from "../../ops/recovery";

let dir: string;
beforeAll(() => (dir = scratchDir("recovery-failures")));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Recovers a stack with no marks through a `pulumi` that runs `script` for every command; resolves with the refusal. */
async function refusalWith(script: string): Promise<string | undefined> {
  const command = path.join(dir, `pulumi-${fs.readdirSync(dir).length}`);
  fs.writeFileSync(command, `#!/bin/sh\n${script}\n`, { mode: 0o755 });
  const result = await recoverStack(
    { cli: { cwd: dir, command }, project: "amb-cce-connect", stack: "dev-demo" },
    { locks: [], pendingOperations: [] },
    thisMachine(60),
  );
  expect(result.ok).toBe(false);
  return result.refused;
}

test("a refresh that fails with its error on standard output is refused with that error", async () => {
  expect(
    await refusalWith('echo "Refreshing (dev-demo):"; echo "error: the backend cannot be read"; exit 255'),
  ).toBe(
    "pulumi refresh --clear-pending-creates failed (exit 255): Refreshing (dev-demo): error: the backend cannot be read",
  );
});

test("a refresh that fails on standard error is refused with its last three lines", async () => {
  expect(await refusalWith("printf 'one\\ntwo\\nthree\\nfour\\n' >&2; echo ignored; exit 1")).toBe(
    "pulumi refresh --clear-pending-creates failed (exit 1): two three four",
  );
});

test("a refresh killed before it printed anything is refused with its exit code", async () => {
  expect(await refusalWith("exit 137")).toBe(
    "pulumi refresh --clear-pending-creates failed (exit 137), with nothing printed",
  );
});
