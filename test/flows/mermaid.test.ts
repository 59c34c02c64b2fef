import fc from "fast-check";
import {
  DIAGRAM_MAX_NODES,
  diffFlows,
  flowDiagram,
  inboundFlowTemplate,
  listTemplates,
  loadTemplate,
  type FlowDocument,
  type FlowNode,
} from "../../flows";
import { changedNodeMarks, mermaidText } from "../../flows/mermaid";
import { parseMermaid } from "../support/mermaid";
import { bindOrThrow, randomSourceArb, reshuffledCopy, VALID_BINDINGS } from "./support";

const inbound = bindOrThrow(loadTemplate(inboundFlowTemplate), VALID_BINDINGS);

function edited(flow: FlowDocument, edit: (copy: FlowDocument) => void): FlowDocument {
  const copy = structuredClone(flow);
  edit(copy);
  return copy;
}

const node = (flow: FlowDocument, id: string): FlowNode => {
  const found = flow.nodes.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`no node ${id}`);
  return found;
};

/** The lines that draw boxes (not arrows, classes or the title). */
const boxLines = (diagram: string) =>
  diagram.split("\n").filter((line) => /^ {2}(n\d+|unchanged)[[(]/.test(line));

/** A flow of `size` nodes: a start, then a chain where every fifth node also branches two ahead. */
function largeFlow(size: number): FlowDocument {
  const nodes = Array.from({ length: size }, (_, index): FlowNode => {
    const id = String(index + 1);
    const next: Record<string, string> = index + 2 <= size ? { onSuccess: String(index + 2) } : {};
    const branch: Record<string, string> =
      index % 5 === 1 && index + 3 <= size ? { onFailure: String(index + 3) } : {};
    return index === 0
      ? { id, type: "start", name: "Start", version: "1.0", config: {}, outcomes: { onStart: "2" } }
      : {
          id,
          type: "evaluate",
          name: `Step ${id}`,
          version: "1.0",
          config: { expression: `x == ${id}` },
          outcomes: { ...next, ...branch },
        };
  });
  return { ...inbound, name: "Large_flow", startNodeId: "1", nodes };
}

describe("flowDiagram", () => {
  test("a changed domain highlights the CCE Create Task node only, and the real parser accepts it", () => {
    const after = edited(inbound, (flow) => {
      node(flow, "150").config.domain = "cc2.example.com";
    });
    const diagram = flowDiagram(inbound, after);
    expect(diagram).toContain('n150["CCE Create Task<br/>node 150 · changed"]:::changed');
    expect(diagram.match(/:::changed/g)).toHaveLength(1);
    expect(diagram).toContain(`title: "${inbound.name}"`);
    // Outcomes that lead the same way share one arrow.
    expect(diagram).toContain('n150 -->|"400, 403, 404, 500, 502, 503"| n211');
    expect(boxLines(diagram)).toHaveLength(inbound.nodes.length);
    expect(parseMermaid([diagram])).toEqual([{ ok: true, diagramType: "flowchart-v2" }]);
  });

  test("added and removed nodes and a rewired outcome: new node green, old node red, the old arrow dotted", () => {
    const after = edited(inbound, (flow) => {
      flow.nodes = flow.nodes.filter((candidate) => candidate.id !== "2072");
      node(flow, "13").outcomes = { text: "3000", attachment: "3000" };
      flow.nodes.push({
        id: "3000",
        type: "appendConversation",
        name: "Append Conversation (hand edit)",
        version: "1.0",
        config: {},
        outcomes: { onSuccess: "2009" },
      });
    });
    const diagram = flowDiagram(inbound, after);
    expect(diagram).toMatch(/n3000\["Append Conversation \(hand edit\)<br\/>node 3000 · added"\]:::added/);
    expect(diagram).toMatch(/n2072\["Append Conversation<br\/>node 2072 · removed"\]:::removed/);
    expect(diagram).toContain('n13 -.->|"attachment, text (removed)"| n2072');
    expect(diagram).toContain('n13 -->|"attachment, text"| n3000');
    expect(diagram).toContain("classDef added");
    expect(diagram).toContain("classDef removed");
    expect(parseMermaid([diagram])).toEqual([{ ok: true, diagramType: "flowchart-v2" }]);
  });

  test("a trigger change marks the start node, which shows the trigger", () => {
    const after = edited(inbound, (flow) => {
      flow.trigger.event = "otherEvent";
    });
    const diagram = flowDiagram(inbound, after);
    expect(diagram).toContain('n2(["Start<br/>channelEvent otherEvent<br/>node 2 · changed"]):::changed');
  });

  test("every template, changed in every node at once, parses", () => {
    const diagrams = listTemplates().map((name) => {
      const before = bindOrThrow(loadTemplate(name), VALID_BINDINGS);
      const after = edited(before, (flow) => flow.nodes.forEach((each) => (each.name = `${each.name} v2`)));
      return flowDiagram(before, after);
    });
    expect(parseMermaid(diagrams).filter((verdict) => !verdict.ok)).toEqual([]);
  });

  test("labels with Mermaid syntax characters are escaped and still parse", () => {
    const awkward = 'Say "hi" <b>#1</b> `now` [x] (y) {z} | a --> b; end';
    const after = edited(inbound, (flow) => {
      node(flow, "211").name = awkward;
      node(flow, "13").outcomes = { "text|x": "2072", "a-->b": "2072" };
    });
    const diagram = flowDiagram(inbound, after);
    expect(diagram).not.toContain('"hi"');
    expect(mermaidText(awkward)).toBe(
      "Say #quot;hi#quot; #lt;b#gt;#35;1#lt;/b#gt; #96;now#96; [x] (y) {z} | a --#gt; b; end",
    );
    expect(parseMermaid([diagram])).toEqual([{ ok: true, diagramType: "flowchart-v2" }]);
  });

  test("a 60-node flow is cut to the change and its neighbours, with the rest folded into one box", () => {
    const before = largeFlow(60);
    const after = edited(before, (flow) => {
      node(flow, "32").config.expression = "x == 'changed'";
    });
    const diagram = flowDiagram(before, after);
    const boxes = boxLines(diagram);
    expect(boxes.length).toBeLessThanOrEqual(DIAGRAM_MAX_NODES + 1);
    // The changed node, its predecessor and its two successors (onSuccess, onFailure), the start, and the folded rest.
    expect(boxes.map((line) => line.trim().split(/[[(]/)[0]).sort()).toEqual(
      ["n1", "n31", "n32", "n33", "n34", "unchanged"].sort(),
    );
    expect(diagram).toContain('unchanged[["… 55 unchanged node(s) not drawn"]]:::elided');
    expect(diagram).toContain('n31 -->|"onSuccess"| n32');
    expect(diagram).toContain('n32 -->|"onFailure"| n34');
    expect(diagram).toContain('n34 -->|"onSuccess"| unchanged');
    expect(diagram).toContain('unchanged -->|"onSuccess"| n31');
    expect(parseMermaid([diagram])).toEqual([{ ok: true, diagramType: "flowchart-v2" }]);
  });

  test("a flow changed everywhere is drawn with the changed nodes only once neighbours would not fit", () => {
    const before = largeFlow(60);
    const after = edited(before, (flow) =>
      flow.nodes.filter((each) => Number(each.id) % 3 === 0).forEach((each) => (each.name = "Edited")),
    );
    const boxes = boxLines(flowDiagram(before, after));
    expect(boxes.length).toBe(20 + 1 + 1); // 20 changed nodes, the start, the folded rest
  });

  test("the same flows in any order and formatting give the same text", () => {
    const after = edited(inbound, (flow) => {
      node(flow, "150").config.domain = "cc2.example.com";
    });
    const expected = flowDiagram(inbound, after);
    fc.assert(
      fc.property(randomSourceArb, (random) => {
        expect(flowDiagram(reshuffledCopy(inbound, random), reshuffledCopy(after, random))).toBe(expected);
      }),
      { numRuns: 25 },
    );
  });
});

describe("changedNodeMarks", () => {
  test("a whole added or removed node wins over field changes; flow-level changes mark the start", () => {
    const after = edited(inbound, (flow) => {
      flow.description = "edited";
      node(flow, "179").name = "Search";
    });
    expect([...changedNodeMarks(diffFlows(inbound, after), inbound.startNodeId)]).toEqual([
      ["2", "changed"],
      ["179", "changed"],
    ]);
    expect(
      changedNodeMarks(
        [
          { kind: "changed", nodeId: "5", field: "name", line: "" },
          { kind: "removed", nodeId: "5", field: "node", line: "" },
        ],
        "1",
      ).get("5"),
    ).toBe("removed");
  });
});
