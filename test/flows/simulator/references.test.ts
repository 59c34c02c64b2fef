import * as vm from "node:vm";
import { Scope, SimulationFailure } from "../../../flows/simulator/references";

function scope(): Scope {
  const values = new Scope({ conversationId: "conversation-1", flid: "flow-1" });
  values.setOutputs("2", { abc: { message: `He said "it's \`fine\`" \\ \${x}`, attachments: "" } });
  return values;
}

const run = (code: string) => vm.runInNewContext(`(function () {\n${code}\n})()`) as unknown;

describe("references in a simulated flow", () => {
  it("resolves node outputs and flow variables in config text and JSON", () => {
    expect(scope().text("$(conversationId) of $(flid)")).toBe("conversation-1 of flow-1");
    expect(scope().value({ extras: ["$(n2.abc.attachments)", 7, null], id: "$(conversationId)" })).toEqual({
      extras: ["", 7, null],
      id: "conversation-1",
    });
  });

  it("stops on a reference to a node that has not run, an output it lacks, or no variable", () => {
    expect(() => scope().text("$(n180.conversation.id)")).toThrow(
      new SimulationFailure(
        "$(n180.conversation.id) is not set at this point of the conversation: node 180 has not run on the way here.",
      ),
    );
    expect(() => scope().text("$(n2.abc.locale)")).toThrow(
      "$(n2.abc.locale) is not an output of node 2 (its outputs: abc.message, abc.attachments).",
    );
    expect(() => scope().text("$(customerName)")).toThrow(
      "$(customerName) names no flow variable and no node output: declare the variable in the flow's variables or set it with setVariables.",
    );
  });

  it("puts a value into a script as a string, whatever quotes it holds, in code and in each kind of literal", () => {
    const message = `He said "it's \`fine\`" \\ \${x}`;
    expect(run(scope().script("return $(n2.abc.message);"))).toBe(message);
    expect(run(scope().script('return "$(n2.abc.message)";'))).toBe(message);
    expect(run(scope().script("return 'said: $(n2.abc.message)';"))).toBe(`said: ${message}`);
    expect(run(scope().script("return `said: $(n2.abc.message)`;"))).toBe(`said: ${message}`);
    expect(run(scope().script('return "a \\" $(conversationId)";'))).toBe('a " conversation-1');
    expect(run(scope().script("return $(n2.abc.attachments) ? 'attachment' : 'text';"))).toBe("text");
  });

  it("leaves references in comments alone", () => {
    const code = "// it's $(n999.missing)\n/* $(n999.missing) don't */ return 'ok';";
    expect(scope().script(code)).toBe(code);
    expect(run(scope().script(code))).toBe("ok");
  });
});
