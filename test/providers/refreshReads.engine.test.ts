/**
 * Refresh at the physical minimum (issue 17.3): a refresh of the full dev-demo stack through the real engine reads
 * each Webex Connect object exactly once and writes nothing, counted by the emulator that served the requests.
 */
import { refreshExcludes } from "../../config/refreshScope";
import { RESOURCE_TYPES } from "../../lib/facts";
import { createStackWorld, type StackWorld } from "../../harness/stackWorld";

jest.setTimeout(15 * 60 * 1000);

const STACK = "dev-demo";

/** The one read that refreshes an object of each Webex Connect resource type. */
const READ_ROUTE: Record<string, string> = {
  [RESOURCE_TYPES.serviceResource]: "GET service.get",
  [RESOURCE_TYPES.ambAssetResource]: "GET asset.getWithSettings",
  [RESOURCE_TYPES.liveFlowResource]: "GET flow.get",
};

describe("refresh of the full dev-demo stack", () => {
  let world: StackWorld;

  beforeAll(async () => {
    world = await createStackWorld([STACK], { seed: 5 });
  });
  afterAll(async () => {
    await world.close();
  });

  test("reads each Webex Connect object once, and writes nothing", async () => {
    const stack = await world.openStack(STACK);
    await stack.up();
    const { deployment } = await stack.exportStack();
    const expected: Record<string, number> = {};
    for (const { type } of deployment.resources as Array<{ type: string }>) {
      const route = READ_ROUTE[type];
      if (route) expected[route] = (expected[route] ?? 0) + 1;
    }
    // The stack's objects: one service, one adopted asset, the inbound, close and five webhook flows.
    expect(expected).toEqual({
      "GET service.get": 1,
      "GET asset.getWithSettings": 1,
      "GET flow.get": 7,
    });

    await world.emulator.control.clearRequests();
    await stack.refresh({ expectNoChanges: true, exclude: refreshExcludes(true) });
    const { counts } = await world.emulator.control.requests();
    const requests: Record<string, number> = {};
    for (const [route, methods] of Object.entries(counts))
      for (const [method, count] of Object.entries(methods ?? {})) requests[`${method} ${route}`] = count!;
    expect(requests).toEqual(expected);
  });
});
