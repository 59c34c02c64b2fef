/** Binding errors in the reverse proxy's FQDN (the Domain field): schemes, slashes, ports, lengths, labels, absence. */
import { type FlowBindings } from "../../../flows";
import { VALID_BINDINGS } from "../support";
import { BARE, describeBadBindings } from "./badBindings";

const CLOSE = 'AppleMessages_CustomerClose: node 150 "CCE End Task", field domain: proxyFqdn';
const NOT_LABEL = "which is not a valid DNS label (letters, digits and inner hyphens only).";
const LONG_LABEL = "a".repeat(64);
const LONG_NAME = ["a", "b", "c", "d"].map((letter) => letter.repeat(63)).join(".");
const fqdn = (proxyFqdn: string | undefined): FlowBindings => ({ ...VALID_BINDINGS, proxyFqdn });

describeBadBindings([
  {
    name: "https scheme",
    template: "AppleMessages_CustomerClose",
    bindings: fqdn("https://cc.example.com"),
    expected: [`${CLOSE} "https://cc.example.com" has a URL scheme; ${BARE} Use "cc.example.com" instead.`],
  },
  {
    name: "http scheme, upper case and trailing slash",
    template: "AppleMessages_CustomerClose",
    bindings: fqdn("http://CC.Example.com/"),
    expected: [`${CLOSE} "http://CC.Example.com/" has a URL scheme; ${BARE} Use "cc.example.com" instead.`],
  },
  {
    name: "trailing forward slash",
    template: "AppleMessages_CustomerClose",
    bindings: fqdn("cc.example.com/"),
    expected: [
      `${CLOSE} "cc.example.com/" contains a forward or backward slash; ${BARE} Use "cc.example.com" instead.`,
    ],
  },
  {
    name: "path",
    template: "AppleMessages_CustomerClose",
    bindings: fqdn("cc.example.com/cce/webhook"),
    expected: [
      `${CLOSE} "cc.example.com/cce/webhook" contains a forward or backward slash; ${BARE} Use "cc.example.com" instead.`,
    ],
  },
  {
    name: "leading double slash",
    template: "AppleMessages_CustomerClose",
    bindings: fqdn("//cc.example.com"),
    expected: [
      `${CLOSE} "//cc.example.com" contains a forward or backward slash; ${BARE} Use "cc.example.com" instead.`,
    ],
  },
  {
    name: "backslash",
    template: "AppleMessages_CustomerClose",
    bindings: fqdn("cc.example.com\\"),
    expected: [
      `${CLOSE} "cc.example.com\\\\" contains a forward or backward slash; ${BARE} Use "cc.example.com" instead.`,
    ],
  },
  {
    name: "port",
    template: "AppleMessages_CustomerClose",
    bindings: fqdn("cc.example.com:8443"),
    expected: [
      `${CLOSE} "cc.example.com:8443" has a port; the Domain field takes a bare hostname (the port is the proxy's). Use "cc.example.com" instead.`,
    ],
  },
  {
    name: "longer than 253 characters",
    template: "AppleMessages_CustomerClose",
    bindings: fqdn(LONG_NAME),
    expected: [`${CLOSE} "${LONG_NAME}" is 255 characters long; a hostname has at most 253.`],
  },
  {
    name: "label longer than 63 characters",
    template: "AppleMessages_CustomerClose",
    bindings: fqdn(`${LONG_LABEL}.example.com`),
    expected: [
      `${CLOSE} "${LONG_LABEL}.example.com" has the label "${LONG_LABEL}" of 64 characters; a label has at most 63.`,
    ],
  },
  {
    name: "underscore in a label",
    template: "AppleMessages_CustomerClose",
    bindings: fqdn("cc_proxy.example.com"),
    expected: [`${CLOSE} "cc_proxy.example.com" has the label "cc_proxy", ${NOT_LABEL}`],
  },
  {
    name: "leading hyphen",
    template: "AppleMessages_CustomerClose",
    bindings: fqdn("-cc.example.com"),
    expected: [`${CLOSE} "-cc.example.com" has the label "-cc", ${NOT_LABEL}`],
  },
  {
    name: "trailing dot",
    template: "AppleMessages_CustomerClose",
    bindings: fqdn("cc.example.com."),
    expected: [`${CLOSE} "cc.example.com." has the label "", ${NOT_LABEL} Use "cc.example.com" instead.`],
  },
  {
    name: "surrounding whitespace",
    template: "AppleMessages_CustomerClose",
    bindings: fqdn(" cc.example.com"),
    expected: [`${CLOSE} " cc.example.com" has surrounding whitespace. Use "cc.example.com" instead.`],
  },
  {
    name: "empty FQDN",
    template: "AppleMessages_CustomerClose",
    bindings: fqdn(""),
    expected: [
      `${CLOSE} is empty: give the FQDN of the reverse proxy in front of Cloud Connect, e.g. "cc.example.com".`,
    ],
  },
  {
    name: "missing FQDN",
    template: "AppleMessages_CustomerClose",
    bindings: fqdn(undefined),
    expected: [
      `${CLOSE} is missing: give the FQDN of the reverse proxy in front of Cloud Connect, e.g. "cc.example.com".`,
    ],
  },
  {
    name: "single label",
    template: "AppleMessages_CustomerClose",
    bindings: fqdn("cc"),
    expected: [`${CLOSE} "cc" is not fully qualified; give the full DNS name, e.g. "cc.example.com".`],
  },
]);
