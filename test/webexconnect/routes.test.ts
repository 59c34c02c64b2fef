import { ROUTES, ROUTE_NAMES, type RouteSpec } from "../../webexconnect/routes";
import { bodies, responses } from "../../webexconnect/schemas";

const specs = ROUTE_NAMES.map((name) => [name, ROUTES[name] as RouteSpec] as const);

describe("route table", () => {
  test.each(specs)("%s says where it comes from", (_, spec) => {
    if (spec.fidelity === "documented") expect(spec.source).toMatch(/^https:\/\/developer\.webex\.com\//);
    else expect(spec.source).toMatch(/^Modeled: /);
  });

  test("only POST routes may be non-idempotent, and every GET, PUT and DELETE is idempotent", () => {
    for (const [name, spec] of specs) {
      if (!spec.idempotent) expect([name, spec.method]).toEqual([name, "POST"]);
      if (["GET", "PUT", "DELETE"].includes(spec.method))
        expect([name, spec.idempotent]).toEqual([name, true]);
    }
  });

  test("method + path pairs are unique, so the emulator can route them", () => {
    const keys = specs.map(([, spec]) => `${spec.method} ${spec.path}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  test("every route has a response schema, and bodies are declared only for writes", () => {
    expect(Object.keys(responses).sort()).toEqual([...ROUTE_NAMES].sort());
    for (const name of Object.keys(bodies))
      expect(ROUTES[name as keyof typeof ROUTES].method).not.toBe("GET");
  });

  test("the AMB asset routes of the documented API carry channel=applebusinesschat", () => {
    for (const [name, spec] of specs.filter(
      ([name, spec]) => name.startsWith("asset.") && spec.fidelity === "documented",
    ))
      expect([name, spec.fixedQuery]).toEqual([name, { channel: "applebusinesschat" }]);
  });
});
