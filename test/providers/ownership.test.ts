/** The ownership marker in a description: how a retried create tells its own object from others', and what an adopted
 * asset was before. */
import fc from "fast-check";
import { describeOwned, parseOwnedDescription } from "../../providers/ownership";

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
      notes: {},
    });
  });

  it("finds no owner in a description without the marker, or with it anywhere but at the end", () => {
    expect(parseOwnedDescription("Set up by hand")).toEqual({ description: "Set up by hand", notes: {} });
    const notLast = "[managed by amb-cce-connect: someone/else]\nedited afterwards";
    expect(parseOwnedDescription(notLast)).toEqual({ description: notLast, notes: {} });
    expect(parseOwnedDescription("")).toEqual({ description: "", notes: {} });
  });

  it("reads back what describeOwned wrote, for any description and owner", () => {
    const owner = fc.stringMatching(/^[a-z0-9-]{1,20}\/[a-z0-9-]{1,20}$/);
    fc.assert(
      fc.property(fc.string(), owner, (description, by) => {
        expect(parseOwnedDescription(describeOwned(description, by))).toEqual({
          description,
          owner: by,
          notes: {},
        });
      }),
    );
  });

  it("reads the last marker when the user's text quotes one", () => {
    const quoted = describeOwned("copied from [managed by amb-cce-connect: other/stack]", OWNER);
    expect(parseOwnedDescription(quoted)).toEqual({
      description: "copied from [managed by amb-cce-connect: other/stack]",
      owner: OWNER,
      notes: {},
    });
  });
});

describe("notes", () => {
  it("carry what an adopted asset was before, and read back as written", () => {
    const stored = describeOwned("Retail store", OWNER, { engage: "none", dataStream: "off" });
    expect(stored).toBe(
      "Retail store\n[managed by amb-cce-connect: amb-cce-connect/staging-retail; engage=none; dataStream=off]",
    );
    expect(parseOwnedDescription(stored)).toEqual({
      description: "Retail store",
      owner: OWNER,
      notes: { engage: "none", dataStream: "off" },
    });
  });

  it("read back for any description, owner and note values", () => {
    const owner = fc.stringMatching(/^[a-z0-9-]{1,20}\/[a-z0-9-]{1,20}$/);
    const value = fc.stringMatching(/^[A-Za-z0-9_-]{0,30}$/);
    fc.assert(
      fc.property(fc.string(), owner, value, value, (description, by, engage, dataStream) => {
        const notes = { engage, dataStream };
        expect(parseOwnedDescription(describeOwned(description, by, notes))).toEqual({
          description,
          owner: by,
          notes,
        });
      }),
    );
  });
});
