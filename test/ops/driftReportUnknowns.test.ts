/**
 * A flow's node-level drift is reported even when the program's definition is not known during the preview (its
 * inputs wait on a resource being updated): the lines the flow's refresh found stand in, and nothing reads
 * "(known after update)" for the definition.
 */
import { renderChanges, resourceChanges } from "../../ops/driftReport";
import { LIVE_FLOW_TYPE } from "../../lib/facts";
import { UNKNOWN } from "../../lib/facts";

const urn = `urn:pulumi:dev-retail::amb-cce-connect::amb-cce:webexconnect:LiveFlow$${LIVE_FLOW_TYPE}::inbound`;
const DOMAIN_LINE = "CCE Create Task (node 4): domain amb-retail.dev.cc.example.com → rogue.example.net";

function digest(liveChanges: string[]) {
  const live = {
    name: "AppleMessages_inbound_flow_Retail_Store",
    definition: { nodes: [] },
    assetId: "asset-1",
  };
  return {
    steps: [
      {
        op: "update",
        urn,
        oldState: {
          urn,
          type: LIVE_FLOW_TYPE,
          custom: true,
          inputs: live,
          outputs: { status: "live", liveChanges },
        },
        newState: { urn, type: LIVE_FLOW_TYPE, custom: true, inputs: { ...live, definition: UNKNOWN } },
        diffReasons: ["definition"],
      },
    ],
    changeSummary: { update: 1 },
    diagnostics: [],
  };
}

describe("drift of a flow whose declared definition is unknown during the preview", () => {
  it("reports the node lines the refresh found", () => {
    const [change] = resourceChanges(digest([DOMAIN_LINE]), "drift");
    expect(change.fields).toEqual([{ field: "definition", flowChanges: [DOMAIN_LINE] }]);
    const markdown = renderChanges([change], "drift");
    expect(markdown).toContain(DOMAIN_LINE);
    expect(markdown).not.toContain("known after update");
  });

  it("falls back to the unknown value only when the refresh found no node change", () => {
    const [change] = resourceChanges(digest([]), "drift");
    expect(change.fields).toEqual([{ field: "definition", before: UNKNOWN, after: { nodes: [] } }]);
  });
});
