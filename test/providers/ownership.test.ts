/** The ownership marker in a service's description: how a retried create tells its own service from others'. */
import fc from "fast-check";
import { describeOwned, parseOwnedDescription } from "../../providers/service";

const OWNER = "amb-cce-connect/staging-retail";

describe("describeOwned", () => {
  it("appends the marker on a line of its own", () => {
    expect(describeOwned("Apple Messages for Business to CCE", OWNER)).toBe(
      "Apple Messages for Business to CCE\n[managed by amb-cce-connect: amb-cce-connect/staging-retail]",
    );
  });

  it("is the marker alone for an empty description", () => {
    expect(describeOwned("", OWNER)).toBe("[managed by amb-cce-connect: amb-cce-connect/staging-retail]");
  });
});

describe("parseOwnedDescription", () => {
  it("splits the user's text from the owner", () => {
    expect(
      parseOwnedDescription("Retail\n[managed by amb-cce-connect: amb-cce-connect/prod-retail]"),
    ).toEqual({
      description: "Retail",
      owner: "amb-cce-connect/prod-retail",
    });
  });

  it("finds no owner in a description without the marker, or with it anywhere but at the end", () => {
    expect(parseOwnedDescription("Set up by hand")).toEqual({ description: "Set up by hand" });
    const notLast = "[managed by amb-cce-connect: someone/else]\nedited afterwards";
    expect(parseOwnedDescription(notLast)).toEqual({ description: notLast });
    expect(parseOwnedDescription("")).toEqual({ description: "" });
  });

  it("reads back what describeOwned wrote, for any description and owner", () => {
    const owner = fc.stringMatching(/^[a-z0-9-]{1,20}\/[a-z0-9-]{1,20}$/);
    fc.assert(
      fc.property(fc.string(), owner, (description, by) => {
        expect(parseOwnedDescription(describeOwned(description, by))).toEqual({ description, owner: by });
      }),
    );
  });

  it("reads the last marker when the user's text quotes one", () => {
    const quoted = describeOwned("copied from [managed by amb-cce-connect: other/stack]", OWNER);
    expect(parseOwnedDescription(quoted)).toEqual({
      description: "copied from [managed by amb-cce-connect: other/stack]",
      owner: OWNER,
    });
  });
});
