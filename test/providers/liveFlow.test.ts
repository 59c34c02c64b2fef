/** When a live flow is published again: never for a re-run with nothing changed, so no new version is minted. */
import { needsPublish } from "../../providers/liveFlow";

const desired = { assetId: "asset-1", definitionHash: "hash-1" };
const live = { status: "live", boundAssetId: "asset-1" } as const;

describe("needsPublish", () => {
  it.each([
    ["the live version is the desired flow on the desired asset", live, "hash-1", false],
    ["the definition changed", live, "hash-2", true],
    ["no version is live yet", { status: "draft", boundAssetId: null }, undefined, true],
    [
      "the flow was deactivated in the portal",
      { status: "inactive", boundAssetId: "asset-1" },
      "hash-1",
      true,
    ],
    ["the flow was re-bound to another asset", { status: "live", boundAssetId: "asset-2" }, "hash-1", true],
    ["the live version's hash is not known", live, undefined, true],
  ] as const)("%s → %s", (_name, flow, liveHash, expected) => {
    expect(needsPublish(flow, liveHash, desired)).toBe(expected);
  });
});
