/**
 * A prod stack protects its channel (AmbChannelArgs.protect, docs/operations.md#protected-production-objects): after
 * a real `pulumi up` of prod-retail on the emulator, the state marks every resource of the channel protected (the
 * Webex Connect service, asset and flows, and the Kubernetes objects); `pulumi destroy` is refused and deletes
 * nothing, neither in Webex Connect nor in the state. Protecting only the Webex Connect objects was tried first: the
 * refused destroy still deleted every Kubernetes object, leaving the flows pointing at an edge that was gone.
 */
import { createStackWorld, type StackWorld } from "../../harness/stackWorld";

jest.setTimeout(20 * 60 * 1000);

const STACK = "prod-retail";

describe("a prod stack's channel", () => {
  let world: StackWorld;

  beforeAll(async () => {
    world = await createStackWorld([STACK], { seed: 19 });
  });
  afterAll(async () => {
    await world?.close();
  });

  test("is protected, every resource of it, and a destroy is refused with nothing deleted", async () => {
    const stack = await world.openStack(STACK);
    await stack.up();
    const resources = (await stack.exportStack()).deployment.resources ?? [];
    const channel = resources.filter((resource) => resource.urn.includes("amb-cce:stack:AmbChannel$"));
    const webexConnect = channel.filter((resource) => /[:/]webexconnect:/.test(resource.type));
    // Service, asset, 2 flows and the webhook flow set's 5 flows (each component and its resource), the set.
    expect(webexConnect.length).toBe(2 + 2 + 2 * 2 + 5 * 2 + 1);
    expect(channel.filter((resource) => resource.type.startsWith("kubernetes:")).length).toBeGreaterThan(0);
    expect(channel.filter((resource) => resource.protect !== true).map((resource) => resource.urn)).toEqual(
      [],
    );

    const before = await world.emulator.control.dumpState();
    await expect(stack.destroy()).rejects.toThrow(/protected/);
    const after = await world.emulator.control.dumpState();
    expect(Object.keys(after.flows).sort()).toEqual(Object.keys(before.flows).sort());
    expect(Object.keys(after.services).sort()).toEqual(Object.keys(before.services).sort());
    expect(after.assets).toEqual(before.assets);
    // Nothing deleted from the state either: the Kubernetes objects are all there.
    expect((await stack.exportStack()).deployment.resources).toHaveLength(resources.length);
  });
});
