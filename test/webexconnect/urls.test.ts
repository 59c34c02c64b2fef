import { REGIONS } from "../../lib/facts";
import { ASSET_API_BASE_URLS } from "../../webexconnect/routes";
import { buildUrl, fillPath, resolveBaseUrl } from "../../webexconnect/urls";

describe("base URLs", () => {
  test.each(REGIONS)("region %s reaches the asset API of its region (jp uses au)", (region) => {
    const expected = ASSET_API_BASE_URLS[region === "jp" ? "au" : region];
    expect(resolveBaseUrl("asset.get", { region })).toEqual({ ok: true, baseUrl: expected });
  });

  test("modeled routes need a tenant URL and say how to give one", () => {
    const resolution = resolveBaseUrl("service.create", { region: "eu" });
    expect(resolution.ok).toBe(false);
    if (!resolution.ok) expect(resolution.message).toMatch(/modeled.*modeledBaseUrl.*MODELED_BASE_URLS/s);
  });

  test("modeledBaseUrl moves only modeled routes; baseUrl moves everything", () => {
    const tenant = { region: "us" as const, modeledBaseUrl: "https://tenant.example.com/api/" };
    expect(resolveBaseUrl("flow.publish", tenant)).toEqual({
      ok: true,
      baseUrl: "https://tenant.example.com/api",
    });
    expect(resolveBaseUrl("asset.get", tenant)).toEqual({ ok: true, baseUrl: ASSET_API_BASE_URLS.us });
    for (const route of ["asset.get", "flow.publish"] as const)
      expect(resolveBaseUrl(route, { ...tenant, baseUrl: "http://127.0.0.1:9/" })).toEqual({
        ok: true,
        baseUrl: "http://127.0.0.1:9",
      });
  });

  test("without region or baseUrl the message lists the regions", () => {
    const resolution = resolveBaseUrl("asset.get", {});
    expect(resolution.ok).toBe(false);
    if (!resolution.ok) expect(resolution.message).toContain("eu, us, uk, ca, au, sg, in, jp");
  });
});

describe("paths", () => {
  test("fills and encodes parameters, keeps the base path, adds fixed and call query", () => {
    expect(buildUrl(ASSET_API_BASE_URLS.eu, "asset.get", { assetId: "a/b c" }, { page: undefined })).toBe(
      "https://assetmanagement.eu.webexconnect.io/connectapi/v2/digital/app/a%2Fb%20c?channel=applebusinesschat",
    );
    expect(buildUrl("http://127.0.0.1:1", "service.list", {}, { page: 2, pageSize: 10, name: "a&b" })).toBe(
      "http://127.0.0.1:1/v1/services?page=2&pageSize=10&name=a%26b",
    );
  });

  test("a missing parameter is an error that names it", () => {
    expect(() => fillPath("/v1/services/{serviceId}", {})).toThrow(/"serviceId".*missing or empty/);
    expect(() => fillPath("/v1/services/{serviceId}", { serviceId: "" })).toThrow(/"serviceId"/);
  });
});
