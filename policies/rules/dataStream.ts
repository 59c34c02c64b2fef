/**
 * Data Stream on every AMB asset. The user guide makes it mandatory: customer opt-out (closed-conversation
 * events), CCE event handling and typing indicators travel over it. The only exception is a waiver with a reason.
 */
import { MIN_DATA_STREAM_WAIVER_LENGTH } from "../../lib/conventions";
import { resourcePolicy } from "./define";
import { Outcome, isUnknown, type ResourceView } from "./engineValues";
import { describeResource } from "./resources";
import { AMB_ASSET_TYPE } from "../../lib/facts";

/** The provider's check (providers/ambAsset.ts) asks the same length: shorter text is not a reason. */

/** What travels over Data Stream, per the user guide. */
const FEATURES = "customer opt-out, CCE event handling and typing indicators";

type DataStreamState =
  | { state: "enabled" | "unknown" }
  | { state: "waived"; reason: string }
  | { state: "unwaived"; waiver: string | undefined };

function describeAsset(asset: ResourceView): string {
  const { appId } = asset.props;
  const known = typeof appId === "string" && !isUnknown(appId);
  return `${describeResource(asset)}${known ? ` (App ID ${JSON.stringify(appId)})` : ""}`;
}

/** On, off under a waiver with a reason, off without one, or not known yet; left out, it is on (the provider's default). */
function dataStreamState(asset: ResourceView, outcome: Outcome): DataStreamState {
  const { dataStream, dataStreamWaiver } = asset.props;
  const subject = describeResource(asset);
  if (!outcome.known(dataStream, `${subject} dataStream`)) return { state: "unknown" };
  if (dataStream !== false) return { state: "enabled" };
  if (!outcome.known(dataStreamWaiver, `${subject} dataStreamWaiver`)) return { state: "unknown" };
  const waiver = typeof dataStreamWaiver === "string" ? dataStreamWaiver : undefined;
  const reason = waiver?.trim() ?? "";
  return reason.length >= MIN_DATA_STREAM_WAIVER_LENGTH
    ? { state: "waived", reason }
    : { state: "unwaived", waiver };
}

export function checkDataStreamEnabled(asset: ResourceView): Outcome {
  const outcome = new Outcome();
  const status = dataStreamState(asset, outcome);
  if (status.state !== "unwaived") return outcome;
  const subject = `Data Stream is disabled on ${describeAsset(asset)}`;
  const fix = `Fix: set dataStream to true, or give dataStreamWaiver a reason of at least ${MIN_DATA_STREAM_WAIVER_LENGTH} characters.`;
  const waiver = status.waiver?.trim() ?? "";
  outcome.fail(
    waiver === ""
      ? `${subject} without a reason: ${FEATURES} need it. ${fix}`
      : `${subject} and dataStreamWaiver ${JSON.stringify(status.waiver)} is not a reason ` +
          `(${waiver.length} characters): ${FEATURES} need it. ${fix}`,
  );
  return outcome;
}

export function checkDataStreamWaived(asset: ResourceView): Outcome {
  const outcome = new Outcome();
  const status = dataStreamState(asset, outcome);
  if (status.state === "waived") {
    outcome.fail(
      `Data Stream is disabled on ${describeAsset(asset)}, waived: ${JSON.stringify(status.reason)}. ` +
        `Until it is enabled, ${FEATURES} do not work.`,
    );
  }
  return outcome;
}

const isAmbAsset = (resource: ResourceView) => resource.type === AMB_ASSET_TYPE;

export const dataStreamEnabledPolicy = resourcePolicy({
  name: "amb-data-stream-enabled",
  description: "Data Stream is enabled on every AMB asset, unless dataStreamWaiver gives a reason.",
  enforcementLevel: "mandatory",
  appliesTo: isAmbAsset,
  check: checkDataStreamEnabled,
});

export const dataStreamWaivedPolicy = resourcePolicy({
  name: "amb-data-stream-waived",
  description: "An AMB asset runs without Data Stream under a waiver: shown on every preview for review.",
  enforcementLevel: "advisory",
  appliesTo: isAmbAsset,
  check: checkDataStreamWaived,
});
