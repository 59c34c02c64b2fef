/** Generators shared by the flow property tests. */
import fc from "fast-check";
import { bindFlow, formatProblems, type FlowBindings, type FlowDocument, type JsonValue } from "../../flows";
import { leaves } from "../../flows/paths";

/**
 * Bare RFC 1123 hostnames of two to four labels, upper case included (binding lower-cases them). The last label
 * starts with a letter, as every top-level domain does (lib/fqdn.ts refuses an all-numeric one, and so IPs).
 */
export const fqdnArb = fc
  .tuple(
    fc.array(fc.stringMatching(/^[a-zA-Z0-9]([a-zA-Z0-9-]{0,8}[a-zA-Z0-9])?$/), {
      minLength: 1,
      maxLength: 3,
    }),
    fc.stringMatching(/^[a-zA-Z]([a-zA-Z0-9-]{0,8}[a-zA-Z0-9])?$/),
  )
  .map(([labels, topLevel]) => [...labels, topLevel].join("."));

/** Id-like values such as App IDs and account ids: no whitespace, no placeholder. */
export const tokenArb = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,20}$/);

const literalText = (maxLength: number) => fc.stringMatching(new RegExp(`^[A-Za-z0-9 .-]{0,${maxLength}}$`));

export const callVariablesArb = fc.dictionary(fc.stringMatching(/^cv_[a-z0-9]{1,4}$/), literalText(40), {
  maxKeys: 3,
});
export const eccVariablesArb = fc.dictionary(
  fc.stringMatching(/^user_[A-Za-z0-9_]{1,8}$/),
  literalText(210),
  {
    maxKeys: 3,
  },
);

export const destinationRoutesArb = fc.uniqueArray(fc.record({ appId: tokenArb, eventId: tokenArb }), {
  minLength: 1,
  maxLength: 4,
  selector: (route) => route.appId,
});

/** Bindings for every template; variables are optional because most deployments add none. */
export const bindingsArb: fc.Arbitrary<FlowBindings> = fc.record(
  {
    proxyFqdn: fqdnArb,
    appId: tokenArb,
    ambAccountId: tokenArb,
    ambAssetId: tokenArb,
    serviceId: tokenArb,
    destinationRoutes: destinationRoutesArb,
    eventId: tokenArb,
    callVariables: callVariablesArb,
    eccVariables: eccVariablesArb,
  },
  {
    requiredKeys: [
      "proxyFqdn",
      "appId",
      "ambAccountId",
      "ambAssetId",
      "serviceId",
      "destinationRoutes",
      "eventId",
    ],
  },
);

export const VALID_BINDINGS: FlowBindings = {
  proxyFqdn: "cc.example.com",
  appId: "app-one",
  ambAccountId: "amb-account-one",
  ambAssetId: "asset-one",
  serviceId: "service-one",
  destinationRoutes: [{ appId: "app-one", eventId: "amb_asset_one" }],
  eventId: "amb_asset_one",
};

/** Binds or fails the test with every problem listed. */
export function bindOrThrow(template: FlowDocument, bindings: FlowBindings): FlowDocument {
  const result = bindFlow(template, bindings);
  if (!result.ok) throw new Error(formatProblems(result.problems));
  return result.flow;
}

/** Every leaf of a flow by path (arrays walked by index), for comparing documents path by path. */
export function leafValues(flow: FlowDocument): Map<string, string> {
  return new Map(leaves(flow).map(({ path, value }) => [path, JSON.stringify(value)]));
}

export function changedPaths(a: FlowDocument, b: FlowDocument): string[] {
  const before = leafValues(a);
  const after = leafValues(b);
  return [...new Set([...before.keys(), ...after.keys()])].filter(
    (path) => before.get(path) !== after.get(path),
  );
}

/** A source of random numbers in [0, 1) drawn by fast-check, so failures shrink and replay. */
export const randomSourceArb: fc.Arbitrary<() => number> = fc
  .infiniteStream(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }))
  .map((stream) => () => stream.next().value as number);

export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const copy = [...items];
  for (let index = copy.length - 1; index > 0; index -= 1) {
    const other = Math.floor(random() * (index + 1));
    [copy[index], copy[other]] = [copy[other], copy[index]];
  }
  return copy;
}

/** Equivalent JSON spellings of a number: 5, 5.0, 5e0, 50e-1; 0.5 and 5e-1. */
function numberSpellings(value: number): string[] {
  if (Number.isInteger(value) && Math.abs(value) < 1e15) {
    return [String(value), `${value}.0`, `${value}e0`, `${value * 10}e-1`, `${value}E+0`];
  }
  return [JSON.stringify(value), value.toExponential()];
}

/** `value` as JSON text with keys in random order, random whitespace and random number spellings. */
export function reformat(value: JsonValue, random: () => number): string {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const space = () => pick(["", " ", "\n", "\t", "\n    "]);
  if (Array.isArray(value))
    return `[${space()}${value.map((item) => reformat(item, random)).join(`${space()},${space()}`)}]`;
  if (typeof value === "number") return pick(numberSpellings(value));
  if (typeof value !== "object" || value === null) return JSON.stringify(value);
  const entries = shuffled(Object.entries(value), random).map(
    ([key, item]) => `${space()}${JSON.stringify(key)}${space()}:${space()}${reformat(item, random)}`,
  );
  return `{${entries.join(",")}${space()}}`;
}

/** The same flow with its order-free arrays shuffled and then reformatted and parsed again. */
export function reshuffledCopy(flow: FlowDocument, random: () => number): FlowDocument {
  const copy: FlowDocument = {
    ...flow,
    nodes: shuffled(flow.nodes, random),
    variables: shuffled(flow.variables, random),
    trigger: { ...flow.trigger, conditions: shuffled(flow.trigger.conditions, random) },
  };
  return JSON.parse(reformat(copy, random)) as FlowDocument;
}
