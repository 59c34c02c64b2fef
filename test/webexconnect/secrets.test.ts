/** Tokens and service secrets never appear in error messages, stacks, error properties or log lines. */
import { WebexConnectError, redactSecrets, type LogEntry } from "../../webexconnect";
import {
  CLIENT_ID,
  CLIENT_SECRET,
  ORG,
  REFRESH_TOKEN,
  RENEWING_CREDENTIAL,
  TOKEN,
  rejectionOf,
  startTestEmulator,
  testClient,
  type TestEmulator,
} from "./harness";

let emulator: TestEmulator;
beforeAll(async () => {
  emulator = await startTestEmulator();
});
afterAll(() => emulator.dispose());

function everythingSaidAbout(error: Error): string {
  return [error.message, error.stack ?? "", String(error), JSON.stringify({ ...error })].join("\n");
}

test("secrets echoed by a server are scrubbed from errors and logs", async () => {
  const lines: LogEntry[] = [];
  const client = testClient(emulator.url, {
    logger: (entry) => lines.push(entry),
    retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2 },
  });
  const { value: service } = await client.createService({ name: "svc-secrets" });
  const { serviceKey, jwtSecret } = await client.getServiceCredentials(service.id);
  const secrets = [TOKEN, serviceKey, jwtSecret];

  await emulator.control.addFault({
    route: "service.get",
    action: {
      type: "status",
      status: 500,
      message: `upstream said Bearer ${TOKEN} key=${serviceKey} secret=${jwtSecret}`,
    },
    // Both attempts of the client (a 500 on a read is retried).
    count: 2,
  });
  await emulator.control.addFault({
    route: "flow.list",
    action: { type: "status", status: 400, message: `bad ${jwtSecret}` },
    count: 1,
  });
  const errors = [
    await rejectionOf(client.getService(service.id)),
    await rejectionOf(client.listFlows(service.id)),
    await rejectionOf(testClient(emulator.url, { token: `${TOKEN}-revoked` }).getService(service.id)),
  ];

  for (const error of errors) {
    expect(error).toBeInstanceOf(WebexConnectError);
    const said = everythingSaidAbout(error);
    for (const secret of secrets) expect(said).not.toContain(secret);
  }
  expect(errors[0].message).toContain("[redacted]");
  expect(lines.length).toBeGreaterThan(3);
  const logged = JSON.stringify(lines);
  for (const secret of secrets) expect(logged).not.toContain(secret);
  expect(lines[0]).toMatchObject({ route: "service.list", status: 200, attempt: 1 });
  expect(lines[0].trackingId).toMatch(/^amb-cce_/);
});

test("no part of the renewing credential, nor a token Webex hands out, reaches errors, logs or notices", async () => {
  const lines: LogEntry[] = [];
  const notices: string[] = [];
  const options = {
    token: undefined,
    credential: RENEWING_CREDENTIAL,
    logger: (entry: LogEntry) => lines.push(entry),
    notice: (message: string) => notices.push(message),
    retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2 },
  };
  const echoed = `client_id=${CLIENT_ID} client_secret=${CLIENT_SECRET} refresh_token=${REFRESH_TOKEN}`;
  await emulator.control.addFault({
    route: "auth.accessToken",
    action: { type: "status", status: 400, message: `refused ${echoed}` },
    count: 1,
  });
  const refused = await rejectionOf(testClient(emulator.url, options).listServices());
  expect(refused).toMatchObject({ name: "AuthError", route: "auth.accessToken" });

  const client = testClient(emulator.url, options);
  const { value: service } = await client.createService({ name: "svc-renewing-secrets" });
  await emulator.control.addFault({
    route: "service.get",
    action: { type: "status", status: 500, message: `upstream echoed ${echoed}` },
    count: 2,
  });
  const failed = await rejectionOf(client.getService(service.id));
  expect(failed.message).toContain("[redacted]");

  const said =
    [refused, failed].map(everythingSaidAbout).join("\n") + JSON.stringify(lines) + notices.join("\n");
  for (const secret of [CLIENT_ID, CLIENT_SECRET, REFRESH_TOKEN]) expect(said).not.toContain(secret);
  // The emulator's access tokens start with wxc-at-: none is ever printed.
  expect(said).not.toContain("wxc-at-");
  expect(lines.map((line) => line.route)).toContain("auth.accessToken");
});

test("redaction covers known secrets and anything shaped like a bearer credential", () => {
  expect(redactSecrets("Authorization: Bearer abc.def-ghi, and k3y-value", ["k3y-value"])).toBe(
    "Authorization: Bearer [redacted], and [redacted]",
  );
  expect(redactSecrets("short ab stays", ["ab"])).toBe("short ab stays");
});

test("the organization id is not a secret and is named in errors", async () => {
  const error = await rejectionOf(testClient(emulator.url).getService("svc-none"));
  expect(error.message).toContain(ORG);
});
