import { outputValues, parseEventLog } from "../../ops/pulumiStack";

test("the event log's events are read line by line; a line cut short by a killed run is dropped", () => {
  const log = [
    JSON.stringify({
      sequence: 0,
      timestamp: 1,
      resourcePreEvent: { metadata: { type: "pulumi:pulumi:Stack" } },
    }),
    JSON.stringify({ sequence: 1, timestamp: 2, summaryEvent: { resourceChanges: { create: 1 } } }),
    '{"sequence": 2, "timestamp": 3, "resourcePreEv',
    "",
  ].join("\n");
  expect(parseEventLog(log).map((event) => event.sequence)).toEqual([0, 1]);
});

test("an output is secret where the masked listing hides it, and carries its value either way", () => {
  expect(
    outputValues({ fqdn: "cc.example.com", token: "[secret]" }, { fqdn: "cc.example.com", token: "t-123" }),
  ).toEqual({ fqdn: { value: "cc.example.com", secret: false }, token: { value: "t-123", secret: true } });
});
