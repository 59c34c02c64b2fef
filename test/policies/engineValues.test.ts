import { isUnknown, Outcome, plainCopy, valueAt } from "../../policies/rules/engineValues";
import { policySdkInternals } from "../../policies/rules/policySdkInternals";
import { UNKNOWN } from "../../lib/facts";

const { unknownCheckingProxy, UnknownValueError } = policySdkInternals();
const UNKNOWN_NUMBER = "3eeb2bf0-c639-47a8-9e75-3b44932eb421";

describe("plain copies of the server's properties", () => {
  test("read every known value through the server's proxy and keep unknowns as the marker", () => {
    const props = { a: 1, b: [UNKNOWN, { c: UNKNOWN_NUMBER, d: "x" }], e: { f: null, g: UNKNOWN } };
    const proxied = unknownCheckingProxy(props);
    expect(() => JSON.stringify(proxied)).toThrow(/can't be known during preview/);
    expect(plainCopy(proxied)).toEqual({
      a: 1,
      b: [UNKNOWN, { c: UNKNOWN, d: "x" }],
      e: { f: null, g: UNKNOWN },
    });
  });

  test("valueAt stops at an unknown step and returns the marker", () => {
    expect(valueAt({ spec: UNKNOWN }, "spec.template.spec")).toBe(UNKNOWN);
    expect(valueAt({ spec: { template: {} } }, "spec.template.spec")).toBeUndefined();
    expect(isUnknown(valueAt({ a: { b: UNKNOWN_NUMBER } }, "a.b"))).toBe(true);
  });
});

test("the SDK's internals are the ones its proxy uses: a read of an unknown value throws the exported error", () => {
  const proxied = unknownCheckingProxy({ id: UNKNOWN });
  expect(() => proxied.id).toThrow(UnknownValueError);
});

describe("Outcome", () => {
  test("records each skipped value once and words the advisory by count", () => {
    const outcome = new Outcome();
    expect(outcome.skippedError()).toBeUndefined();
    expect(outcome.known("value", "x")).toBe(true);
    expect(outcome.known(UNKNOWN, "first")).toBe(false);
    expect(outcome.known(UNKNOWN, "first")).toBe(false);
    expect(outcome.skippedError()?.message).toBe(
      "this value is not known until `pulumi up` and will be checked then (every known value was checked now): first",
    );
    outcome.known(UNKNOWN, "second");
    expect(outcome.skippedError()?.message).toMatch(/^these values are not known .*: first; second$/);
  });
});
