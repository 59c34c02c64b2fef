/**
 * The stack-file form of a message, for config to compose: any JSON that passes validateAppleMessage, with each
 * problem as a zod issue at its path, so the stack's error names the key, the rule and Apple's page. The stack file
 * holds Apple's wire format as is; there is no second shape to keep in step.
 */
import { z } from "zod";
import type { AppleMessage } from "./types";
import { describeAppleMessageProblem, validateAppleMessage } from "./validate";

export const appleMessageSchema = z
  .json()
  .superRefine((value, context) => {
    for (const problem of validateAppleMessage(value, "message")) {
      // The issue's path says where; its message keeps the fix, the rule and the source.
      context.addIssue({
        code: "custom",
        path: [...problem.path],
        message: describeAppleMessageProblem(problem),
      });
    }
  })
  // Every rule has passed, so the value has the shape of one of the message types.
  .transform((value) => value as unknown as AppleMessage);
