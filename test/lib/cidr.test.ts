/** lib/cidr.ts: ranges written from their first address, and lists that admit every address of a family. */
import { hostBitsProblem, openFamilies } from "../../lib/cidr";

describe("hostBitsProblem", () => {
  it.each([
    ["198.51.100.7/24", "198.51.100.0/24", "198.51.100.7/32"],
    ["10.1.2.3/8", "10.0.0.0/8", "10.1.2.3/32"],
    ["2001:db8::1/64", "2001:db8::/64", "2001:db8::1/128"],
    ["2001:DB8:0:0:1::1/32", "2001:db8::/32", "2001:db8::1:0:0:1/128"],
    ["::ffff:192.0.2.7/120", "::ffff:c000:200/120", "::ffff:c000:207/128"],
  ])("names the range and the one address of %s", (cidr, network, single) => {
    expect(hostBitsProblem(cidr)).toBe(
      `${JSON.stringify(cidr)} has host bits set, so it does not say which range is meant. Fix: use ` +
        `${JSON.stringify(network)} (the range), or ${JSON.stringify(single)} (that one address).`,
    );
  });

  it.each([
    "198.51.100.0/24",
    "198.51.100.7/32",
    "0.0.0.0/0",
    "2001:db8::/32",
    "::/0",
    "not a cidr",
    "1.2.3.4",
  ])("accepts %s (or leaves text that is no CIDR to another rule)", (cidr) =>
    expect(hostBitsProblem(cidr)).toBeUndefined(),
  );
});

describe("openFamilies", () => {
  it("finds every address of a family admitted, by one range or by ranges that add up to the space", () => {
    expect(openFamilies(["0.0.0.0/0"])).toEqual([{ family: "IPv4", cidrs: ["0.0.0.0/0"] }]);
    expect(openFamilies(["198.51.100.0/24", "::/0"])).toEqual([{ family: "IPv6", cidrs: ["::/0"] }]);
    expect(openFamilies(["128.0.0.0/1", "0.0.0.0/1"])).toEqual([
      { family: "IPv4", cidrs: ["0.0.0.0/1", "128.0.0.0/1"] },
    ]);
    expect(openFamilies(["0.0.0.0/2", "64.0.0.0/2", "0.0.0.0/1", "128.0.0.0/1", "10.0.0.0/8"])).toEqual([
      { family: "IPv4", cidrs: ["0.0.0.0/1", "128.0.0.0/1"] },
    ]);
    expect(openFamilies(["0.0.0.0/0", "::/1", "8000::/1"])).toEqual([
      { family: "IPv4", cidrs: ["0.0.0.0/0"] },
      { family: "IPv6", cidrs: ["::/1", "8000::/1"] },
    ]);
  });

  it("finds none where a gap remains", () => {
    expect(openFamilies(["0.0.0.0/1", "128.0.0.0/2", "224.0.0.0/3"])).toEqual([]);
    expect(openFamilies(["198.51.100.0/24", "203.0.113.0/24", "2001:db8::/32"])).toEqual([]);
    expect(openFamilies([])).toEqual([]);
  });
});
