import { deployedPicture } from "../../ops/deployedPicture";

const CONFIG = {
  stackName: "dev-demo",
  asset: {
    key: "demo",
    appId: "demo-app-0001",
    ambAccountId: "x",
    accountName: "TestAccount_Cisco",
    dataStream: true,
  },
  service: { name: "AMB Demo (local)", description: "", adopt: "none" as const },
  cloudConnect: {
    nodes: [
      { name: "publisher", host: "cloudconnect-pub.demo.example.com" },
      { name: "subscriber", host: "cloudconnect-sub.demo.example.com", port: 8443, backup: true },
    ],
  },
};

test("the edge fans out to its Cloud Connect nodes; the asset leads to its service and live flows", () => {
  const picture = deployedPicture(CONFIG, {
    fqdn: "amb-demo.cc.example.com",
    flows: {
      AppleMessages_inbound_flow__TestAccount_Cisco: {
        flowId: "f1",
        liveVersionId: "ver-2",
        previousLiveVersionId: "ver-1",
      },
      AppleMessages_CustomerClose__TestAccount_Cisco: {
        flowId: "f2",
        liveVersionId: "ver-3",
        previousLiveVersionId: null,
      },
    },
  });
  expect(picture.split("\n")).toEqual([
    "What dev-demo deployed:",
    "  edge amb-demo.cc.example.com ─┬─▶ Cloud Connect publisher  cloudconnect-pub.demo.example.com",
    "                                └─▶ Cloud Connect subscriber (backup)  cloudconnect-sub.demo.example.com:8443",
    "  asset TestAccount_Cisco (App ID demo-app-0001, Data Stream on)",
    '    └── service "AMB Demo (local)"',
    "          ├── AppleMessages_CustomerClose__TestAccount_Cisco  live ver-3",
    "          └── AppleMessages_inbound_flow__TestAccount_Cisco   live ver-2 (was ver-1)",
  ]);
});

test("a single node and no flows still read", () => {
  const picture = deployedPicture(
    {
      ...CONFIG,
      cloudConnect: { nodes: [CONFIG.cloudConnect.nodes[0]] },
      service: { ...CONFIG.service, adopt: "byId" },
    },
    { fqdn: "a.example.com" },
  );
  expect(picture).toContain("  edge a.example.com ───▶ Cloud Connect publisher");
  expect(picture).toContain('service "AMB Demo (local)" (adopted byId)');
  expect(picture).toContain("(no live flow in the outputs)");
});
