import { UNKNOWN } from "../../lib/facts";
import { dataStreamEnabledPolicy, dataStreamWaivedPolicy } from "../../policies/rules/dataStream";
import { ambAsset, APP_ID, liveFlow } from "./fixtures";
import { messagesOf, runResourcePolicy } from "./policyHarness";

const FEATURES = "customer opt-out, CCE event handling and typing indicators";

describe("amb-data-stream-enabled (mandatory)", () => {
  test("passes an asset with Data Stream on, or left to the provider's default (on)", async () => {
    for (const props of [{ dataStream: true }, { dataStream: undefined }]) {
      expect(await runResourcePolicy(dataStreamEnabledPolicy, ambAsset(props))).toEqual({ violations: [] });
    }
  });

  test("fails an asset with Data Stream off and no waiver", async () => {
    const run = await runResourcePolicy(dataStreamEnabledPolicy, ambAsset({ dataStream: false }));
    expect(messagesOf(run)).toEqual([
      `Data Stream is disabled on AmbAsset "asset" (App ID "${APP_ID}") without a reason: ${FEATURES} need it. ` +
        "Fix: set dataStream to true, or give dataStreamWaiver a reason of at least 10 characters.",
    ]);
  });

  test("fails a waiver that is not a reason", async () => {
    for (const waiver of ["n/a", "   tbd    ", ""]) {
      const run = await runResourcePolicy(
        dataStreamEnabledPolicy,
        ambAsset({ dataStream: false, dataStreamWaiver: waiver }),
      );
      const expected =
        waiver.trim() === ""
          ? `Data Stream is disabled on AmbAsset "asset" (App ID "${APP_ID}") without a reason: ${FEATURES} need it. `
          : `Data Stream is disabled on AmbAsset "asset" (App ID "${APP_ID}") and dataStreamWaiver ` +
            `${JSON.stringify(waiver)} is not a reason (${waiver.trim().length} characters): ${FEATURES} need it. `;
      expect(messagesOf(run)).toEqual([
        `${expected}Fix: set dataStream to true, or give dataStreamWaiver a reason of at least 10 characters.`,
      ]);
    }
  });

  test("passes Data Stream off under a waiver with a reason", async () => {
    const asset = ambAsset({ dataStream: false, dataStreamWaiver: "Kafka consumer not deployed in the lab" });
    expect(await runResourcePolicy(dataStreamEnabledPolicy, asset)).toEqual({ violations: [] });
  });

  test("skips, and says so, a dataStream or waiver not known at preview", async () => {
    expect(await runResourcePolicy(dataStreamEnabledPolicy, ambAsset({ dataStream: UNKNOWN }))).toEqual({
      violations: [],
      skipped:
        'this value is not known until `pulumi up` and will be checked then (every known value was checked now): AmbAsset "asset" dataStream',
    });
    const waiverUnknown = await runResourcePolicy(
      dataStreamEnabledPolicy,
      ambAsset({ dataStream: false, dataStreamWaiver: UNKNOWN }),
    );
    expect(waiverUnknown.violations).toEqual([]);
    expect(waiverUnknown.skipped).toMatch(/: AmbAsset "asset" dataStreamWaiver$/);
  });

  test("names the asset without an App ID while the App ID is unknown", async () => {
    const run = await runResourcePolicy(
      dataStreamEnabledPolicy,
      ambAsset({ appId: UNKNOWN, dataStream: false }),
    );
    expect(messagesOf(run)[0]).toMatch(/^Data Stream is disabled on AmbAsset "asset" without a reason/);
  });

  test("ignores other resources", async () => {
    const flow = liveFlow("inbound", "AppleMessages_inbound_flow", { props: { dataStream: false } });
    expect(await runResourcePolicy(dataStreamEnabledPolicy, flow)).toEqual({ violations: [] });
  });
});

describe("amb-data-stream-waived (advisory)", () => {
  test("shows every waived asset with its reason", async () => {
    const reason = "Kafka consumer not deployed in the lab";
    const run = await runResourcePolicy(
      dataStreamWaivedPolicy,
      ambAsset({ dataStream: false, dataStreamWaiver: ` ${reason} ` }),
    );
    expect(messagesOf(run)).toEqual([
      `Data Stream is disabled on AmbAsset "asset" (App ID "${APP_ID}"), waived: "${reason}". ` +
        `Until it is enabled, ${FEATURES} do not work.`,
    ]);
  });

  test("says nothing about enabled assets or unwaived ones (the mandatory rule reports those)", async () => {
    for (const props of [
      { dataStream: true },
      { dataStream: false },
      { dataStream: false, dataStreamWaiver: "n/a" },
    ]) {
      expect(await runResourcePolicy(dataStreamWaivedPolicy, ambAsset(props))).toEqual({ violations: [] });
    }
  });
});
