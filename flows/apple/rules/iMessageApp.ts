/** An iMessage app's own interactive message: the app's App Store id and name beside its bid. */
import { asFields, at, shown } from "../read";
import { finding, INTERACTIVE_DATA, missingTexts, nonStrings, type AppleMessageRule } from "../rule";
import { SOURCES } from "../sources";

export const IMESSAGE_APP_RULES: readonly AppleMessageRule[] = [
  {
    id: "imessage-app.app",
    description:
      "An iMessage app message names the app: appId (its App Store id, a number) and appName; URL and " +
      "sessionIdentifier are strings when given.",
    source: SOURCES.customInteractive,
    appliesTo: ["iMessageApp"],
    check: (message) => {
      const data = asFields(at(message, INTERACTIVE_DATA));
      if (data === undefined) return [];
      const appId =
        Number.isInteger(data.appId) && (data.appId as number) > 0
          ? []
          : [
              finding(
                [...INTERACTIVE_DATA, "appId"],
                `is ${shown(data.appId)}; give the app's App Store id as a number, e.g. 1234567890.`,
              ),
            ];
      return [
        ...appId,
        ...missingTexts(data, INTERACTIVE_DATA, ["appName"], "iMessage app message"),
        ...nonStrings(data, INTERACTIVE_DATA, ["URL", "sessionIdentifier"]),
      ];
    },
  },
];
