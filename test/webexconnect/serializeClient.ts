/**
 * Run as a script (outside jest, whose module registry Pulumi's closure walker would crawl): prints the
 * Pulumi-serialized text of a function that uses the client, as a dynamic provider's code would be stored.
 */
import * as pulumi from "@pulumi/pulumi";
import { createWebexConnectClient } from "../../webexconnect";

export async function serializedClientUser(): Promise<pulumi.runtime.SerializedFunction> {
  return pulumi.runtime.serializeFunction(async (url: string, token: string, organizationId: string) => {
    const client = createWebexConnectClient({ baseUrl: url, token, organizationId });
    const created = (await client.createService({ name: "svc-serialized" })).value.name;
    const failure = await client.getService("svc-missing").catch((error: Error) => error);
    return JSON.stringify({
      created,
      failure: { ...failure, message: (failure as Error).message, isError: failure instanceof Error },
    });
  });
}

if (require.main === module)
  serializedClientUser().then(
    (serialized) => process.stdout.write(JSON.stringify(serialized)),
    (error: Error) => {
      process.stderr.write(error.message);
      process.exit(1);
    },
  );
