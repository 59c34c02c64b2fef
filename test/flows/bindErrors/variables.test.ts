/** Binding errors in the CCE task's variables: call and ECC variables over their byte limits or in the wrong map. */
import { VALID_BINDINGS } from "../support";
import { describeBadBindings, TASK } from "./badBindings";

describeBadBindings([
  {
    name: "call variable over 40 bytes",
    template: "AppleMessages_inbound_flow",
    bindings: { ...VALID_BINDINGS, callVariables: { cv_1: "x".repeat(41) } },
    expected: [
      `${TASK} callVariables.cv_1: is 41 bytes long; a call variable holds at most 40 bytes (UTF-8). Fix: shorten it.`,
    ],
  },
  {
    name: "call variable of 21 characters but 42 bytes",
    template: "AppleMessages_inbound_flow",
    bindings: { ...VALID_BINDINGS, callVariables: { cv_name: "é".repeat(21) } },
    expected: [
      `${TASK} callVariables.cv_name: is 42 bytes long; a call variable holds at most 40 bytes (UTF-8). Fix: shorten it.`,
    ],
  },
  {
    name: "ECC variable over 210 bytes",
    template: "AppleMessages_inbound_flow",
    bindings: { ...VALID_BINDINGS, eccVariables: { user_note: "y".repeat(211) } },
    expected: [
      `${TASK} eccVariables.user_note: is 211 bytes long; an ECC variable holds at most 210 bytes (UTF-8). Fix: shorten it.`,
    ],
  },
  {
    name: "ECC variable name among the call variables",
    template: "AppleMessages_inbound_flow",
    bindings: { ...VALID_BINDINGS, callVariables: { user_lang: "en" } },
    expected: [
      `${TASK} callVariables.user_lang: "user_lang" is not a call variable name: call variable names start with "cv_"; ECC variables ("user_…") go in eccVariables.`,
    ],
  },
  {
    name: "call variable name among the ECC variables",
    template: "AppleMessages_inbound_flow",
    bindings: { ...VALID_BINDINGS, eccVariables: { cv_2: "en" } },
    expected: [
      `${TASK} eccVariables.cv_2: "cv_2" is not an ECC variable name: ECC variable names start with "user_"; call variables ("cv_…") go in callVariables.`,
    ],
  },
  {
    name: "call variable name that is only the prefix",
    template: "AppleMessages_inbound_flow",
    bindings: { ...VALID_BINDINGS, callVariables: { cv_: "en" } },
    expected: [
      `${TASK} callVariables.cv_: "cv_" needs a name after the "cv_" prefix, in letters, digits and _ only.`,
    ],
  },
]);
