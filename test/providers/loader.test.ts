/**
 * The provider module kept in state (`__provider`), loaded as the SDK's dynamic-provider host loads it (with
 * require-from-string, from its text alone): a provider that delegates to the package's compiled provider, found by
 * Node's module resolution from the working folder (here: the package's self-reference).
 */
import requireFromString from "require-from-string";
import { repoRoot } from "../../harness/pulumiEngine";
import { providerModule, type ProviderKind } from "../../providers/loader";

const METHODS = ["configure", "check", "diff", "create", "read", "update", "delete"];

function loadAsTheHostDoes(kind: ProviderKind) {
  return requireFromString(providerModule(kind)).handler();
}

it.each<ProviderKind>(["service", "ambAsset", "liveFlow"])(
  "the %s module loads from its text alone",
  (kind) => {
    const provider = loadAsTheHostDoes(kind);
    expect(Object.keys(provider).sort()).toEqual([...METHODS].sort());
    // Deterministic and free of where the checkout is, so state does not change from run to run or clone to clone.
    expect(providerModule(kind)).toBe(providerModule(kind));
    expect(providerModule(kind)).not.toContain(repoRoot);
  },
);

it("delegates to the package's compiled provider of its kind", async () => {
  const service = loadAsTheHostDoes("service");
  expect(await service.check({}, { owner: "amb-cce-connect/dev-retail" })).toEqual({
    failures: [{ property: "name", reason: expect.stringMatching(/^name: /) }],
  });
  const flow = loadAsTheHostDoes("liveFlow");
  const result = await flow.check({}, { name: "inbound" });
  expect(result.failures?.map((failure) => failure.property)).toEqual(
    expect.arrayContaining(["serviceId", "assetId", "definition"]),
  );
});

it("says what to install when the working folder's project does not have the package", async () => {
  const cwd = process.cwd();
  process.chdir("/");
  try {
    await expect(loadAsTheHostDoes("service").check({}, {})).rejects.toThrow(
      "the amb-cce-connect provider code (amb-cce-connect/providers/service) cannot be found from /: install the " +
        "package in the Pulumi project (npm install amb-cce-connect) and run pulumi there (Cannot find module",
    );
  } finally {
    process.chdir(cwd);
  }
});
