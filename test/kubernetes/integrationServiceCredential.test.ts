/**
 * The integration service's Webex Connect credential: a static token is one file, the renewing credential is its
 * three parts, each a file whose path the container gets in its own variable, each value a Pulumi secret; the
 * variables are the component's own, so the settings may not set them.
 */
import * as pulumi from "@pulumi/pulumi";
import {
  buildIntegrationServiceManifests,
  CREDENTIAL_FILE_VARIABLES,
  resolveIntegrationServiceSpec,
  type WebexConnectCredentialInput,
} from "../../components/integrationService";
import { settingKeyProblem } from "../../components/integrationServiceArgs";
import { integrationArgs, WEBEX_CONNECT_TOKEN } from "./fixtures";

const RENEWING = {
  clientId: "client-id-5d2a-never-print",
  clientSecret: "client-secret-9b7c-never-print",
  refreshToken: "refresh-token-3e8f-never-print",
};

const valueOf = <T>(output: pulumi.Output<T>) => new Promise<T>((resolve) => output.apply(resolve));

function manifestsWith(webexConnectCredential: WebexConnectCredentialInput) {
  const manifests = buildIntegrationServiceManifests(
    resolveIntegrationServiceSpec("integration", integrationArgs({ webexConnectCredential })),
  );
  const pod = (manifests.deployment.spec as { template: { spec: { containers: Array<{ env: unknown }> } } })
    .template.spec;
  return {
    env: pod.containers[0].env,
    stringData: manifests.secret.stringData as Record<string, pulumi.Output<string>>,
  };
}

async function secretValues(stringData: Record<string, pulumi.Output<string>>) {
  const entries = await Promise.all(
    Object.entries(stringData).map(async ([key, value]) => [
      key,
      { secret: await pulumi.isSecret(value), value: await valueOf(value) },
    ]),
  );
  return Object.fromEntries(entries) as Record<string, { secret: boolean; value: string }>;
}

beforeAll(() =>
  pulumi.runtime.setMocks(
    { newResource: (args) => ({ id: `${args.name}-id`, state: args.inputs }), call: (args) => args.inputs },
    "credential-test",
    "dev",
  ),
);

test("the renewing credential: three secret files, each path in its own variable, and no token file", async () => {
  const { env, stringData } = manifestsWith(RENEWING);
  expect(env).toEqual([
    { name: "WEBEX_CONNECT_CLIENT_ID_FILE", value: "/var/run/secrets/webex-connect/clientId" },
    { name: "WEBEX_CONNECT_CLIENT_SECRET_FILE", value: "/var/run/secrets/webex-connect/clientSecret" },
    { name: "WEBEX_CONNECT_REFRESH_TOKEN_FILE", value: "/var/run/secrets/webex-connect/refreshToken" },
  ]);
  expect(await secretValues(stringData)).toEqual({
    clientId: { secret: true, value: RENEWING.clientId },
    clientSecret: { secret: true, value: RENEWING.clientSecret },
    refreshToken: { secret: true, value: RENEWING.refreshToken },
  });
});

test("a static token: one secret file, as before", async () => {
  const { env, stringData } = manifestsWith({ token: WEBEX_CONNECT_TOKEN });
  expect(env).toEqual([{ name: "WEBEX_CONNECT_TOKEN_FILE", value: "/var/run/secrets/webex-connect/token" }]);
  expect(await secretValues(stringData)).toEqual({ token: { secret: true, value: WEBEX_CONNECT_TOKEN } });
});

test("every credential file variable is reserved, each named in its message", () => {
  expect(Object.values(CREDENTIAL_FILE_VARIABLES).map((key) => [key, settingKeyProblem(key)])).toEqual([
    [
      "WEBEX_CONNECT_TOKEN_FILE",
      "is reserved: the component sets it to the token file's path. Fix: remove it from the settings.",
    ],
    [
      "WEBEX_CONNECT_CLIENT_ID_FILE",
      "is reserved: the component sets it to the client id file's path. Fix: remove it from the settings.",
    ],
    [
      "WEBEX_CONNECT_CLIENT_SECRET_FILE",
      "is reserved: the component sets it to the client secret file's path. Fix: remove it from the settings.",
    ],
    [
      "WEBEX_CONNECT_REFRESH_TOKEN_FILE",
      "is reserved: the component sets it to the refresh token file's path. Fix: remove it from the settings.",
    ],
  ]);
  // An ordinary variable name is not mistaken for one of them.
  expect(settingKeyProblem("constructor")).toBeUndefined();
});
