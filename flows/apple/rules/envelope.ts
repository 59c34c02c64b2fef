/** The envelope every message shares: its type, and for interactive messages the bid and Apple's data envelope. */
import { featureKeys, FEATURE_KEYS, parseAppBid } from "../kinds";
import { asFields, at, isText, shown } from "../read";
import {
  BUILT_IN_SCOPE,
  DATA,
  finding,
  INTERACTIVE_DATA,
  INTERACTIVE_SCOPE,
  type AppleMessageRule,
} from "../rule";
import { SOURCES } from "../sources";
import { BID_PREFIX, BUILT_IN_BID, BUILT_IN_TEAM_ID, INTERACTIVE_DATA_VERSION } from "../types";

const MESSAGE_TYPES = ["text", "richLink", "interactive"];

export const ENVELOPE_RULES: readonly AppleMessageRule[] = [
  {
    id: "envelope.type",
    description: `The message is an object whose type is ${MESSAGE_TYPES.join(", ")}.`,
    source: SOURCES.messagesSent,
    appliesTo: "any",
    check: (message) => {
      const fields = asFields(message);
      if (fields === undefined) {
        return [
          finding(
            [],
            `is ${shown(message)}; a message is an object with a "type" (${MESSAGE_TYPES.join(", ")}).`,
          ),
        ];
      }
      return MESSAGE_TYPES.includes(fields.type as string)
        ? []
        : [finding(["type"], `is ${shown(fields.type)}; set it to one of ${MESSAGE_TYPES.join(", ")}.`)];
    },
  },
  {
    id: "envelope.interactive-data",
    description: "An interactive message carries an interactiveData object.",
    source: SOURCES.interactive,
    appliesTo: INTERACTIVE_SCOPE,
    check: (message) =>
      asFields(at(message, INTERACTIVE_DATA)) === undefined
        ? [
            finding(
              INTERACTIVE_DATA,
              "is missing; an interactive message carries interactiveData { bid, data, receivedMessage }.",
            ),
          ]
        : [],
  },
  {
    id: "envelope.bid",
    description:
      `interactiveData.bid is exactly ${BUILT_IN_BID} for Apple's built-in types, or ` +
      `${BID_PREFIX}:<team id>:<extension id> with the iMessage app's own ids.`,
    source: SOURCES.interactive,
    appliesTo: INTERACTIVE_SCOPE,
    check: (message) => {
      if (asFields(at(message, INTERACTIVE_DATA)) === undefined) return [];
      const bid = at(message, [...INTERACTIVE_DATA, "bid"]);
      if (bid === BUILT_IN_BID) return [];
      const app = parseAppBid(bid);
      if (app === undefined) {
        return [
          finding(
            [...INTERACTIVE_DATA, "bid"],
            `is ${shown(bid)}; use ${BUILT_IN_BID} for Apple's built-in types, or ${BID_PREFIX}:<team id>:<extension id> ` +
              "with an iMessage app's 10-character team id and its extension's bundle id.",
          ),
        ];
      }
      return app.teamId === BUILT_IN_TEAM_ID
        ? [
            finding(
              [...INTERACTIVE_DATA, "bid"],
              `uses Apple's team id ${BUILT_IN_TEAM_ID} with the extension ${shown(app.extensionId)}; ` +
                `Apple's built-in types take exactly ${BUILT_IN_BID}, an iMessage app its own team id.`,
            ),
          ]
        : [];
    },
  },
  {
    id: "envelope.feature",
    description: `interactiveData.data holds exactly one feature key: ${Object.keys(FEATURE_KEYS).join(", ")}.`,
    source: SOURCES.interactive,
    appliesTo: ["interactive"],
    check: (message) => {
      if (asFields(at(message, INTERACTIVE_DATA)) === undefined) return [];
      const data = asFields(at(message, DATA));
      const keys = featureKeys(data);
      if (keys.length === 1) return [];
      const known = Object.keys(FEATURE_KEYS).join(", ");
      if (data === undefined) {
        return [
          finding(
            DATA,
            `is ${shown(at(message, DATA))}; give an object with version, requestIdentifier and one of ${known}.`,
          ),
        ];
      }
      return [
        finding(
          DATA,
          keys.length === 0
            ? `holds none of ${known}, so the message is no type Apple knows; add the one you mean (check its spelling).`
            : `holds ${keys.join(" and ")}; one message is one type: send them as separate messages.`,
        ),
      ];
    },
  },
  {
    id: "envelope.version",
    description: `interactiveData.data.version is "${INTERACTIVE_DATA_VERSION}".`,
    source: SOURCES.interactive,
    appliesTo: BUILT_IN_SCOPE,
    check: (message) => {
      const data = asFields(at(message, DATA));
      if (data === undefined || data.version === INTERACTIVE_DATA_VERSION) return [];
      return [
        finding(
          [...DATA, "version"],
          `is ${shown(data.version)}; Apple requires "${INTERACTIVE_DATA_VERSION}" (a string).`,
        ),
      ];
    },
  },
  {
    id: "envelope.request-identifier",
    description: "interactiveData.data.requestIdentifier is a non-empty string (Apple recommends a UUID).",
    source: SOURCES.interactive,
    appliesTo: BUILT_IN_SCOPE,
    check: (message) => {
      const data = asFields(at(message, DATA));
      if (data === undefined || isText(data.requestIdentifier)) return [];
      return [
        finding(
          [...DATA, "requestIdentifier"],
          `is ${shown(data.requestIdentifier)}; Apple requires one, a UUID or, for flows that send their own messages, a fixed string such as "system".`,
        ),
      ];
    },
  },
];
