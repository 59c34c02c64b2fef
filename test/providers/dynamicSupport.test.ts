/** The pieces every provider shares: input checks that tolerate preview unknowns, property diffs, read results. */
import { z } from "zod";
import {
  checkInputs,
  containsUnknown,
  diffProperties,
  readResult,
  unlessGone,
} from "../../providers/dynamicSupport";
import { UNKNOWN } from "../../lib/facts";
import { errorForStatus, type HttpFailure } from "../../webexconnect/errors";

describe("UNKNOWN", () => {
  it("is the engine's preview sentinel for a value not known yet", () => {
    expect(UNKNOWN).toBe("04da6b54-80e4-46f7-96ec-b56ff0331ba9");
  });
});

describe("containsUnknown", () => {
  it.each([
    ["the sentinel itself", UNKNOWN, true],
    ["inside an array", ["a", UNKNOWN], true],
    ["deep inside objects and arrays", { a: { b: [{ c: UNKNOWN }] } }, true],
    ["a string that merely contains it", `x${UNKNOWN}`, false],
    ["known values", { a: [1, "b", null, true], c: { d: undefined } }, false],
    ["null", null, false],
    ["an empty object", {}, false],
  ])("%s", (_name, value, expected) => {
    expect(containsUnknown(value)).toBe(expected);
  });
});

describe("checkInputs", () => {
  const schema = z.strictObject({
    name: z.string().min(1, { message: "is empty: give a name" }),
    enabled: z.boolean().default(true),
    tags: z.array(z.string()).default([]),
  });

  it("returns the parsed inputs with defaults, leaving out the engine's own properties", () => {
    expect(checkInputs(schema, { name: "flow", __provider: "serialized" })).toEqual({
      inputs: { name: "flow", enabled: true, tags: [] },
    });
  });

  it("names each failing property, with its path and the schema's message", () => {
    expect(checkInputs(schema, { name: "", enabled: "yes", tags: ["a", 2] })).toEqual({
      failures: [
        { property: "name", reason: "name: is empty: give a name" },
        { property: "enabled", reason: "enabled: Invalid input: expected boolean, received string" },
        { property: "tags", reason: "tags.1: Invalid input: expected string, received number" },
      ],
    });
  });

  it("reports a problem of the inputs as a whole on no property", () => {
    expect(checkInputs(schema, { name: "flow", color: "red" })).toEqual({
      failures: [{ property: "", reason: 'input: Unrecognized key: "color"' }],
    });
  });

  it("passes unknown properties through untouched while checking the known ones", () => {
    expect(checkInputs(schema, { name: "flow", enabled: UNKNOWN })).toEqual({
      inputs: { name: "flow", enabled: UNKNOWN },
    });
    expect(checkInputs(schema, { name: "", enabled: UNKNOWN })).toEqual({
      failures: [{ property: "name", reason: "name: is empty: give a name" }],
    });
  });

  it("keeps the unknown value itself, not the schema's reading of it, when the rest parses", () => {
    const upperCase = z.object({
      code: z.string().transform((value) => value.toUpperCase()),
      note: z.string(),
    });
    expect(checkInputs(upperCase, { code: UNKNOWN, note: "n" })).toEqual({
      inputs: { code: UNKNOWN, note: "n" },
    });
    expect(checkInputs(upperCase, { code: "ab", note: "n" })).toEqual({ inputs: { code: "AB", note: "n" } });
  });

  it("treats an unknown nested inside a property as unknown", () => {
    expect(checkInputs(schema, { name: "flow", tags: ["a", UNKNOWN, 3] })).toEqual({
      inputs: { name: "flow", tags: ["a", UNKNOWN, 3] },
    });
  });
});

describe("diffProperties", () => {
  const rules = { appId: { replaces: true }, name: {}, definition: {} };

  it("reports nothing for equal properties, undefined and null alike", () => {
    expect(
      diffProperties(
        { appId: "a", name: "n", definition: { nodes: [1] } },
        { appId: "a", name: "n", definition: { nodes: [1] } },
        rules,
      ),
    ).toEqual({ changed: [], replaces: [] });
    expect(diffProperties({ appId: "a", name: null }, { appId: "a" }, rules)).toEqual({
      changed: [],
      replaces: [],
    });
  });

  it("lists changed properties, and those that force a replacement", () => {
    expect(diffProperties({ appId: "a", name: "n" }, { appId: "b", name: "m" }, rules)).toEqual({
      changed: ["appId", "name"],
      replaces: ["appId"],
    });
  });

  it("counts an unknown new value as a change, even for a custom comparison", () => {
    const equalAlways = { definition: { equal: () => true } };
    expect(diffProperties({ definition: "x" }, { definition: { nodes: [UNKNOWN] } }, equalAlways)).toEqual({
      changed: ["definition"],
      replaces: [],
    });
    expect(diffProperties({ appId: UNKNOWN }, { appId: UNKNOWN }, rules)).toEqual({
      changed: ["appId"],
      replaces: ["appId"],
    });
  });

  it("uses a rule's own comparison, and looks at no property without a rule", () => {
    const caseInsensitive = {
      name: { equal: (a: unknown, b: unknown) => String(a).toLowerCase() === String(b).toLowerCase() },
    };
    expect(diffProperties({ name: "Flow", other: 1 }, { name: "FLOW", other: 2 }, caseInsensitive)).toEqual({
      changed: [],
      replaces: [],
    });
  });
});

describe("readResult", () => {
  it("drops undefined values, which protobuf Structs reject, and keeps null and falsy values", () => {
    expect(
      readResult("id-1", { a: 1, b: undefined, c: null, d: false, e: "" }, { x: undefined, y: 0 }),
    ).toEqual({ id: "id-1", props: { a: 1, c: null, d: false, e: "" }, inputs: { y: 0 } });
    const result = readResult("id-1", { b: undefined }, {});
    expect(Object.keys(result.props ?? {})).toEqual([]);
  });
});

describe("unlessGone", () => {
  const failure = (status: number): HttpFailure => ({
    context: { method: "GET", route: "flow.get", trackingId: "t-1", status, attempts: 1 },
    organizationId: "org-1",
    subject: "Flow f-1 in service s-1",
    body: undefined,
    elapsedMs: 5,
    ambiguous: false,
  });

  it("passes the value through", async () => {
    await expect(unlessGone(async () => "flow")).resolves.toBe("flow");
  });

  it("turns a 404 into undefined: the object is gone", async () => {
    await expect(unlessGone(() => Promise.reject(errorForStatus(failure(404))))).resolves.toBeUndefined();
  });

  it("lets every other failure through", async () => {
    const conflict = errorForStatus(failure(409));
    await expect(unlessGone(() => Promise.reject(conflict))).rejects.toBe(conflict);
    await expect(unlessGone(() => Promise.reject(new Error("socket hang up")))).rejects.toThrow(
      "socket hang up",
    );
  });
});
