/**
 * The kill -9 acceptance experiment of issue 13.5 in three runs (the twenty-run version is
 * `npm run bench:kill-recovery`): fresh ups killed at points spread over a measured run, each followed by the
 * documented recovery; nothing may be duplicated, left outside state, pending or locked, and destroy must give the
 * AMB asset its original Engage and Data Stream settings back.
 */
import { killRecoveryExperiment } from "../../harness/killRecovery";

jest.setTimeout(20 * 60 * 1000);

test("three kill -9 runs spread over a fresh up all recover cleanly", async () => {
  const lines: string[] = [];
  const { counts } = await killRecoveryExperiment({
    runs: 3,
    seed: 3,
    onProgress: (line) => lines.push(line),
  });
  expect({ counts, lines }).toMatchObject({
    counts: {
      runs: 3,
      "reconcile said 'needs recovery' (exit 3) exactly when locked, pending or damaged": 3,
      "recovered (reconcile --recover exit 0 or 7)": 3,
      "locks, pending operations or damaged files after recovery": 0,
      "up after recovery succeeded": 3,
      "duplicate objects": 0,
      "Webex objects outside state": 0,
      "pending operations after up": 0,
      "clean destroys (exit 0, nothing left)": 3,
      "destroys that restored Engage and Data Stream": 3,
      "language hosts alive 10 s after the kill": 0,
      "programs alive 10 s after the kill": 0,
    },
  });
});
