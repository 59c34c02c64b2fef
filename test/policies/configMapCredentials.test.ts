import { createHash } from "node:crypto";
import { configMapCredentialsPolicy, credentialLikeValues } from "../../policies/rules/configMapCredentials";
import { UNKNOWN } from "../../lib/facts";
import { CONFIG_MAP_TYPE } from "../../policies/rules/resources";
import { edgeObjects, integrationObjects } from "./fixtures";
import { messagesOf, runResourcePolicy, type FakeResource } from "./policyHarness";

const FIX =
  "a ConfigMap is stored and shown in plain text. Fix: move the credential to a Secret and mount it as a file " +
  "(as IntegrationService does with the Webex Connect token).";

function configMap(data: Record<string, unknown>, binaryData?: Record<string, unknown>): FakeResource {
  return {
    type: CONFIG_MAP_TYPE,
    name: "settings",
    props: {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "settings" },
      data,
      ...(binaryData && { binaryData }),
    },
  };
}

/** Fixed pseudo-random bytes: no credential-looking text is committed, and every run sees the same values. */
const bytes = (seed: string, length: number) =>
  createHash("sha512").update(seed).digest().subarray(0, length);

/** Credential-shaped values the messages must never repeat. */
const JWT = [
  { alg: "HS256", typ: "JWT" },
  { iss: "svc-1", iat: 1700000000 },
]
  .map((part) => Buffer.from(JSON.stringify(part)).toString("base64url"))
  .concat(bytes("signature", 32).toString("base64url"))
  .join(".");
const HEX_TOKEN = bytes("hex token", 20).toString("hex");
const BASE64_TOKEN = bytes("base64 token", 45).toString("base64");
const PEM_HEADER = ["-----BEGIN", "RSA PRIVATE KEY-----"].join(" ");

describe("credentialLikeValues: what a value looks like", () => {
  test.each([
    ["a JWT", `token=${JWT}`],
    ["a PEM private key", `${PEM_HEADER}\nMIIE...\n`],
    ["an HTTP Authorization credential", `Authorization: Bearer ${HEX_TOKEN}`],
    ["a URL with a password", "amqp://app:s3cr3t-pass@broker.internal:5672/"],
    ["a long hex secret", `signing ${HEX_TOKEN}`],
    ["a long base64 secret", `blob ${BASE64_TOKEN}`],
  ])("finds %s", (what, text) => expect(credentialLikeValues(text)).toEqual([{ what, line: 1 }]));

  test.each([
    `registry.example.com/integration@sha256:${"0123456789abcdef".repeat(4)}`,
    "/usr/local/etc/haproxy/certificates/front/front-certificate.pem",
    "https://assetmanagement.eu.webexconnect.io/connectapi",
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384",
    "AppleMessages_webhook_CREATED__TestAccount_Cisco",
  ])("%s looks like no credential", (text) => expect(credentialLikeValues(text)).toEqual([]));
});

describe("no-credentials-in-configmaps (mandatory)", () => {
  test("passes the ConfigMaps both components build", async () => {
    for (const map of [(await edgeObjects()).configMap, (await integrationObjects()).configMap]) {
      expect(await runResourcePolicy(configMapCredentialsPolicy, map)).toEqual({ violations: [] });
    }
  });

  test("fails credential keys and credential values, without printing them", async () => {
    const run = await runResourcePolicy(
      configMapCredentialsPolicy,
      configMap({ API_TOKEN: "abc", NOTES: `first line\nsecond ${JWT}`, LOG_LEVEL: "info" }),
    );
    expect(messagesOf(run)).toEqual([
      `ConfigMap "settings": data key "API_TOKEN" names a credential ("token"); ${FIX}`,
      `ConfigMap "settings": the value of data key "NOTES" (line 2) looks like a JWT; ${FIX}`,
    ]);
    expect(JSON.stringify(run)).not.toContain(JWT);
  });

  test("reads text inside binaryData, and judges opaque bytes by their key", async () => {
    const run = await runResourcePolicy(
      configMapCredentialsPolicy,
      configMap(
        {},
        {
          "notes.txt": Buffer.from(`key material ${BASE64_TOKEN}`).toString("base64"),
          "logo.png": bytes("opaque", 64).toString("base64"),
          "client.p12": bytes("opaque", 64).toString("base64"),
        },
      ),
    );
    expect(messagesOf(run)).toEqual([
      `ConfigMap "settings": the value of binaryData key "notes.txt" looks like a long base64 secret; ${FIX}`,
      `ConfigMap "settings": binaryData key "client.p12" is named like a private key or keystore file; ${FIX}`,
    ]);
    expect(JSON.stringify(run)).not.toContain(BASE64_TOKEN);
  });

  test("checks key names even when the values are not known at preview, and says what it skipped", async () => {
    const run = await runResourcePolicy(
      configMapCredentialsPolicy,
      configMap({ DB_PASSWORD: UNKNOWN, REGION: UNKNOWN }),
    );
    expect(messagesOf(run)).toEqual([
      `ConfigMap "settings": data key "DB_PASSWORD" names a credential ("password"); ${FIX}`,
    ]);
    expect(run.skipped).toMatch(
      /: ConfigMap "settings" data\.DB_PASSWORD; ConfigMap "settings" data\.REGION$/,
    );
  });
});
