/**
 * The provider module kept in state (`__provider`), loaded as the SDK's dynamic-provider host loads it (with
 * require-from-string, from its text alone): a provider that delegates to the checkout's compiled provider.
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

it("delegates to the checkout's compiled provider of its kind", async () => {
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

it("says where to run pulumi when no checkout is above the working folder", async () => {
  const cwd = process.cwd();
  process.chdir("/");
  try {
    await expect(loadAsTheHostDoes("service").check({}, {})).rejects.toThrow(
      "the amb-cce-connect provider code was not found above /: run pulumi from inside the amb-cce-connect " +
        "checkout (with npm ci done)",
    );
  } finally {
    process.chdir(cwd);
  }
});
