/** Apple Pay: the merchant, the currency, a total above zero, and the payment gateway Apple posts the token to. */
import { asFields, asList, at, entries, isText, shown, type Fields, type Path } from "../read";
import { DATA, finding, type AppleMessageRule, type Finding } from "../rule";
import { SOURCES } from "../sources";
import { httpsUrlMessage, isHttpsUrl } from "./links";

const PAYMENT: Path = [...DATA, "payment"];
const REQUEST: Path = [...PAYMENT, "paymentRequest"];
const MERCHANT: Path = [...REQUEST, "applePay"];
const ENDPOINTS: Path = [...PAYMENT, "endpoints"];
/** Apple Pay's merchant capabilities; supports3DS "must be supplied". */
export const MERCHANT_CAPABILITIES = ["supports3DS", "supportsEMV", "supportsCredit", "supportsDebit"];
const OPTIONAL_ENDPOINTS = [
  "fallbackUrl",
  "orderTrackingUrl",
  "paymentMethodUpdateUrl",
  "shippingContactUpdateUrl",
  "shippingMethodUpdateUrl",
];
const AMOUNT = /^-?\d+(\.\d+)?$/;

function lineItemFindings(item: unknown, path: Path, mustBePositive: boolean): Finding[] {
  const fields = asFields(item);
  const label = isText(fields?.label)
    ? []
    : [
        finding(
          [...path, "label"],
          `is ${shown(fields?.label)}; give the line a label (the total's label is the business's name).`,
        ),
      ];
  const amount = fields?.amount;
  const valid = typeof amount === "string" && AMOUNT.test(amount) && (!mustBePositive || Number(amount) > 0);
  const amountFinding = valid
    ? []
    : [
        finding(
          [...path, "amount"],
          mustBePositive
            ? `is ${shown(amount)}; the total is a decimal string above zero, e.g. "3.00", or Apple Pay refuses the request.`
            : `is ${shown(amount)}; an amount is a decimal string, e.g. "1.50" (negative for a discount).`,
        ),
      ];
  return [...label, ...amountFinding];
}

function nonEmptyStrings(fields: Fields, key: string): boolean {
  const list = asList(fields[key]);
  return list !== undefined && list.length > 0 && list.every(isText);
}

export const APPLE_PAY_RULES: readonly AppleMessageRule[] = [
  {
    id: "apple-pay.merchant",
    description:
      "paymentRequest.applePay has the merchantIdentifier registered at Apple Business Register, supportedNetworks, " +
      `and merchantCapabilities from ${MERCHANT_CAPABILITIES.join(", ")}, including supports3DS.`,
    source: SOURCES.applePayJs,
    appliesTo: ["applePay"],
    check: (message) => {
      const merchant = asFields(at(message, MERCHANT));
      if (merchant === undefined) {
        return [
          finding(
            MERCHANT,
            `is ${shown(at(message, MERCHANT))}; give { merchantIdentifier, merchantCapabilities, supportedNetworks }.`,
          ),
        ];
      }
      const found: Finding[] = [];
      if (!isText(merchant.merchantIdentifier)) {
        found.push(
          finding(
            [...MERCHANT, "merchantIdentifier"],
            `is ${shown(merchant.merchantIdentifier)}; give the merchant id registered at Apple Business Register.`,
          ),
        );
      }
      if (!nonEmptyStrings(merchant, "supportedNetworks")) {
        found.push(
          finding(
            [...MERCHANT, "supportedNetworks"],
            `is ${shown(merchant.supportedNetworks)}; list the card networks you take, e.g. ["visa", "masterCard"].`,
          ),
        );
      }
      const capabilities = asList(merchant.merchantCapabilities) ?? [];
      if (
        !capabilities.includes("supports3DS") ||
        !capabilities.every((value) => MERCHANT_CAPABILITIES.includes(value as string))
      ) {
        found.push(
          finding(
            [...MERCHANT, "merchantCapabilities"],
            `is ${shown(merchant.merchantCapabilities)}; list capabilities from ${MERCHANT_CAPABILITIES.join(", ")}, supports3DS among them.`,
          ),
        );
      }
      return found;
    },
  },
  {
    id: "apple-pay.currency",
    description:
      "paymentRequest.countryCode is a two-letter ISO 3166 code and currencyCode a three-letter ISO 4217 code.",
    source: SOURCES.applePayRequest,
    appliesTo: ["applePay"],
    check: (message) =>
      [
        { key: "countryCode", pattern: /^[A-Z]{2}$/, example: "US" },
        { key: "currencyCode", pattern: /^[A-Z]{3}$/, example: "USD" },
      ].flatMap(({ key, pattern, example }) => {
        const value = at(message, [...REQUEST, key]);
        return typeof value === "string" && pattern.test(value)
          ? []
          : [
              finding(
                [...REQUEST, key],
                `is ${shown(value)}; give the ISO code in capitals, e.g. "${example}".`,
              ),
            ];
      }),
  },
  {
    id: "apple-pay.total",
    description: "paymentRequest.total has a label and an amount above zero.",
    source: SOURCES.applePayRequest,
    appliesTo: ["applePay"],
    check: (message) => {
      const total = at(message, [...REQUEST, "total"]);
      return asFields(total) === undefined
        ? [finding([...REQUEST, "total"], `is ${shown(total)}; give the total { label, amount }.`)]
        : lineItemFindings(total, [...REQUEST, "total"], true);
    },
  },
  {
    id: "apple-pay.line-items",
    description: "paymentRequest.lineItems, when given, is a non-empty list of { label, amount }.",
    source: SOURCES.applePayRequest,
    appliesTo: ["applePay"],
    check: (message) => {
      const path = [...REQUEST, "lineItems"];
      const items = at(message, path);
      if (items === undefined) return [];
      const list = asList(items);
      if (list === undefined || list.length === 0) {
        return [
          finding(path, `is ${shown(items)}; leave lineItems out, or list at least one { label, amount }.`),
        ];
      }
      return entries(message, path).flatMap(({ value, path: itemPath }) =>
        lineItemFindings(value, itemPath, false),
      );
    },
  },
  {
    id: "apple-pay.endpoints",
    description:
      "payment.endpoints.paymentGatewayUrl, where Apple Pay posts the payment token, and every other endpoint given are https URLs.",
    source: SOURCES.applePaySending,
    appliesTo: ["applePay"],
    check: (message) => {
      const endpoints = asFields(at(message, ENDPOINTS));
      if (endpoints === undefined) {
        return [
          finding(
            ENDPOINTS,
            `is ${shown(at(message, ENDPOINTS))}; give { paymentGatewayUrl } at least: the payment gateway that processes the token.`,
          ),
        ];
      }
      return ["paymentGatewayUrl", ...OPTIONAL_ENDPOINTS]
        .filter((key) => key === "paymentGatewayUrl" || endpoints[key] !== undefined)
        .filter((key) => !isHttpsUrl(endpoints[key]))
        .map((key) => finding([...ENDPOINTS, key], httpsUrlMessage(endpoints[key], key)));
    },
  },
];
