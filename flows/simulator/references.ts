/**
 * `$(…)` references as a simulated flow resolves them: `$(n<id>.<namespace>.<field>)` is an output of a node that has
 * run, anything else a flow variable (`$(conversationId)`, the flow instance id `$(flid)`). Every value is a string,
 * as Webex Connect's Data Stream gives them. A reference to something not set at that point stops the simulation:
 * on the platform it would silently become empty or stay literal text.
 */
import { getPath, isJsonObject, leaves, type JsonObject } from "../paths";
import type { JsonValue } from "../schema";

const REFERENCE = /\$\(([A-Za-z_][A-Za-z0-9_.]*)\)/g;
const REFERENCE_AT = /\$\(([A-Za-z_][A-Za-z0-9_.]*)\)/y;
const NODE_OUTPUT = /^n([0-9]+)\.(.+)$/;

/** A node could not run; the simulation stops with this message, at the node. */
export class SimulationFailure extends Error {}

/** What the flow has set so far: node outputs by node id, and flow variables. */
export class Scope {
  private readonly outputs = new Map<string, JsonObject>();
  private readonly variables = new Map<string, string>();

  constructor(variables: Record<string, string>) {
    for (const [name, value] of Object.entries(variables)) this.variables.set(name, value);
  }

  setOutputs(nodeId: string, outputs: JsonObject): void {
    this.outputs.set(nodeId, outputs);
  }

  setVariable(name: string, value: string): void {
    this.variables.set(name, value);
  }

  /** The value of the reference `$(path)`. */
  lookup(path: string): string {
    const output = NODE_OUTPUT.exec(path);
    if (output === null) {
      const value = this.variables.get(path);
      if (value === undefined)
        throw new SimulationFailure(
          `$(${path}) names no flow variable and no node output: declare the variable in the flow's variables or set it with setVariables.`,
        );
      return value;
    }
    const [, nodeId, field] = output;
    const outputs = this.outputs.get(nodeId);
    if (outputs === undefined)
      throw new SimulationFailure(
        `$(${path}) is not set at this point of the conversation: node ${nodeId} has not run on the way here.`,
      );
    const value = getPath(outputs, field);
    if (typeof value !== "string")
      throw new SimulationFailure(
        `$(${path}) is not an output of node ${nodeId} (its outputs: ${leaves(outputs)
          .map((leaf) => leaf.path)
          .join(", ")}).`,
      );
    return value;
  }

  /** `text` with every reference replaced by its value. */
  text(text: string): string {
    return text.replace(REFERENCE, (_match, path: string) => this.lookup(path));
  }

  /** `value` with every string in it resolved. */
  value(value: JsonValue): JsonValue {
    if (typeof value === "string") return this.text(value);
    if (Array.isArray(value)) return value.map((item) => this.value(item));
    if (isJsonObject(value))
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, this.value(item)]));
    return value;
  }

  /**
   * An Evaluate script with its references replaced: in code, by a string literal of the value; inside a string
   * literal, by the value escaped for that literal. So `"$(n2.abc.message)"` and `$(n2.abc.message)` both stand for the
   * customer's text, whatever quotes it holds; references in comments are left alone.
   */
  script(script: string): string {
    let result = "";
    let quote: string | undefined;
    let index = 0;
    while (index < script.length) {
      REFERENCE_AT.lastIndex = index;
      const reference = REFERENCE_AT.exec(script);
      if (reference !== null) {
        const literal = JSON.stringify(this.lookup(reference[1]));
        result += quote === undefined ? literal : escapeFor(literal.slice(1, -1), quote);
        index += reference[0].length;
        continue;
      }
      const char = script[index];
      let taken = char;
      if (quote !== undefined) {
        if (char === "\\") taken = script.slice(index, index + 2);
        else if (char === quote) quote = undefined;
      } else if (script.startsWith("//", index)) {
        const end = script.indexOf("\n", index);
        taken = script.slice(index, end === -1 ? script.length : end);
      } else if (script.startsWith("/*", index)) {
        const end = script.indexOf("*/", index + 2);
        taken = script.slice(index, end === -1 ? script.length : end + 2);
      } else if (char === '"' || char === "'" || char === "`") {
        quote = char;
      }
      result += taken;
      index += taken.length;
    }
    return result;
  }
}

/** JSON's escaping suits a double-quoted literal; single-quoted and template literals need their own quote escaped. */
function escapeFor(escaped: string, quote: string): string {
  if (quote === "'") return escaped.replace(/'/g, "\\'");
  if (quote === "`") return escaped.replace(/`/g, "\\`").replace(/\$\{/g, "\\${");
  return escaped;
}
