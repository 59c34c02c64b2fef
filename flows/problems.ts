/** A problem found while binding or validating a flow, located precisely enough to fix by hand. */
export interface FlowProblem {
  /** The flow (or template) name. */
  readonly flow: string;
  /** The node the problem is on; absent for flow-level fields such as serviceId. */
  readonly nodeId?: string;
  readonly nodeName?: string;
  /** Dotted path of the field, relative to the node's config for config fields. */
  readonly field: string;
  readonly message: string;
}

/** One line per problem, e.g. `AppleMessages_CustomerClose: node 150 "CCE End Task", field domain: …`. */
export function formatProblem(problem: FlowProblem): string {
  const node =
    problem.nodeId === undefined
      ? ""
      : ` node ${problem.nodeId}${problem.nodeName === undefined ? "" : ` ${JSON.stringify(problem.nodeName)}`},`;
  return `${problem.flow}:${node} field ${problem.field}: ${problem.message}`;
}

export function formatProblems(problems: readonly FlowProblem[]): string {
  return problems.map(formatProblem).join("\n");
}
