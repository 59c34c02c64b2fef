/**
 * The one place the providers get their Webex Connect client from (as terraform-provider-genesyscloud's per-resource
 * proxy: a lazily built instance per provider process, which a test replaces). The engine hands the stack
 * configuration to `configure`; the default factory builds the client from those settings on first use. Unit tests
 * swap the factory for one that points at an emulator they started, and run the providers without the engine.
 */
import type * as pulumi from "@pulumi/pulumi";
import { createWebexConnectClient, type WebexConnectClient } from "../webexconnect";
import { credentialOf, readSettings, type ProviderSettings } from "./settings";

export type WebexClientFactory = () => WebexConnectClient;

let configured: ProviderSettings | undefined;
let client: WebexConnectClient | undefined;

/** The client the configured settings (or, without `configure`, the environment) describe. */
const settingsClient: WebexClientFactory = () => {
  const settings = configured ?? readSettings({ get: () => undefined });
  const { region, organizationId, baseUrl, modeledBaseUrl } = settings;
  return createWebexConnectClient({
    region,
    organizationId,
    baseUrl,
    modeledBaseUrl,
    credential: credentialOf(settings),
    // The engine shows a dynamic provider's stderr lines in the run's output.
    notice: (message) => process.stderr.write(`webexconnect: ${message}\n`),
  });
};

let factory: WebexClientFactory = settingsClient;

/** Called from each provider's `configure`: validates the settings once per provider process. */
export function configureSettings(config: Pick<pulumi.dynamic.Config, "get">): void {
  configured = readSettings(config);
  client = undefined;
}

/** The client for this provider process, built by the factory on first use. */
export function webexClient(): WebexConnectClient {
  client ??= factory();
  return client;
}

/** For tests: every provider gets its client from `replacement` until the returned function restores the default. */
export function replaceClientFactory(replacement: WebexClientFactory): () => void {
  factory = replacement;
  client = undefined;
  return () => {
    factory = settingsClient;
    client = undefined;
  };
}
