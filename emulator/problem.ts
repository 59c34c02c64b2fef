/** The error answer of the emulated API: thrown by the store, auth and HTTP helpers, sent by the server. */
import type { ErrorBody } from "../webexconnect/schemas";

export interface ProblemDetails {
  /** The request field at fault. */
  field?: string;
  /** The permission the caller lacks. */
  requiredScope?: string;
  retryAfterSeconds?: number;
}

/** An error answer of the emulated API: status, machine code, message for the user, and details. */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ProblemDetails = {},
  ) {
    super(message);
  }
}

/** The body sent for a problem (retryAfterSeconds travels as a header, not in the body). */
export function problemBody(problem: HttpProblem): ErrorBody {
  const { field, requiredScope } = problem.details;
  return {
    code: problem.code,
    message: problem.message,
    ...(field && { field }),
    ...(requiredScope && { requiredScope }),
  };
}
