/**
 * Writes the workspace service account (bound to system:auth-delegator) and one Pulumi Kubernetes Operator `Stack`
 * resource per stack file, as multi-document YAML:
 *   npx ts-node --transpile-only scripts/operatorStacks.ts --repo https://github.com/acme/amb-cce-connect.git \
 *     --backend s3://acme-pulumi-state --namespace pulumi-stacks [--out stacks.k8s.yaml]
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import {
  DEFAULT_RESYNC_SECONDS,
  DEFAULT_WORKSPACE_SERVICE_ACCOUNT,
  fleetManifests,
  MIN_RESYNC_SECONDS,
  toYamlDocuments,
  webexCredentialSecrets,
  type SecretKeyRef,
} from "../ops/operatorStacks";
import { discoverStacks, readProject } from "../config/projectFiles";

const HELP = `Usage: scripts/operatorStacks.ts --repo URL --backend URL [options]

  --repo URL                 git URL the operator clones (required)
  --backend URL              state backend: s3://…, azblob://…, gs://…, https://… (required)
  --branch NAME              branch to follow (default main)
  --namespace NS             namespace of the Stack resources (default pulumi-stacks)
  --secret NAME              Kubernetes Secret with the key PULUMI_CONFIG_PASSPHRASE and the credential's keys
                             (default amb-cce-connect)
  --credential KIND          renewing (default): the Secret holds WEBEX_CONNECT_CLIENT_ID, WEBEX_CONNECT_CLIENT_SECRET
                             and WEBEX_CONNECT_REFRESH_TOKEN; token: it holds WEBEX_CONNECT_TOKEN, which lasts 12 hours,
                             so resyncs fail within a day and the operator stalls the Stacks
  --secret-env VAR=NAME/KEY  more environment from a Secret (backend credentials); repeatable
  --resync SECONDS           resync period (default ${DEFAULT_RESYNC_SECONDS}); below ${MIN_RESYNC_SECONDS} the operator uses ${MIN_RESYNC_SECONDS}
  --service-account NAME     the workspace pods' service account, bound to system:auth-delegator
                             (default ${DEFAULT_WORKSPACE_SERVICE_ACCOUNT})
  --preview-only             report-only stacks: the operator runs previews, never updates
  --cpu Q --memory Q         workspace pod requests (= limits for memory), e.g. --cpu 500m --memory 1Gi
  --organization ORG         stack names become ORG/<stack> (Pulumi Cloud backends)
  --project DIR              the Pulumi project (default .); one Stack resource per stack file
  --out FILE                 write there instead of stdout
`;

function secretEnv(entries: string[]): Record<string, SecretKeyRef> {
  return Object.fromEntries(
    entries.map((entry) => {
      const match = /^([A-Za-z_][A-Za-z0-9_]*)=([^/]+)\/(.+)$/.exec(entry);
      if (!match)
        throw new Error(
          `--secret-env ${entry}: expected VAR=SECRET_NAME/KEY, e.g. AWS_ACCESS_KEY_ID=state-bucket/access-key-id`,
        );
      return [match[1], { name: match[2], key: match[3] }];
    }),
  );
}

function main(): void {
  const { values } = parseArgs({
    options: {
      repo: { type: "string" },
      backend: { type: "string" },
      branch: { type: "string", default: "main" },
      namespace: { type: "string", default: "pulumi-stacks" },
      secret: { type: "string", default: "amb-cce-connect" },
      credential: { type: "string", default: "renewing" },
      "secret-env": { type: "string", multiple: true, default: [] },
      resync: { type: "string", default: String(DEFAULT_RESYNC_SECONDS) },
      "service-account": { type: "string" },
      "preview-only": { type: "boolean", default: false },
      cpu: { type: "string" },
      memory: { type: "string" },
      organization: { type: "string" },
      project: { type: "string", default: "." },
      out: { type: "string" },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }
  if (!values.repo || !values.backend) throw new Error(`--repo and --backend are required\n\n${HELP}`);
  const credential = values.credential;
  if (credential !== "renewing" && credential !== "token")
    throw new Error(
      `--credential ${credential}: use renewing (client id, client secret, refresh token) or token`,
    );
  if (credential === "token")
    process.stderr.write(
      "--credential token: a personal access token lasts 12 hours, so the Stacks' resyncs fail within a day; " +
        'use the renewing credential for anything unattended (docs/operations.md, "Credentials that last")\n',
    );
  const project = readProject(path.resolve(values.project));
  const requests = {
    ...(values.cpu ? { cpu: values.cpu } : {}),
    ...(values.memory ? { memory: values.memory } : {}),
  };
  const resync = Number(values.resync);
  if (resync < MIN_RESYNC_SECONDS)
    process.stderr.write(
      `--resync ${values.resync}: the operator resyncs at most every ${MIN_RESYNC_SECONDS} s, so the Stacks say ${MIN_RESYNC_SECONDS}\n`,
    );
  const resources = fleetManifests(discoverStacks(project), {
    namespace: values.namespace,
    projectRepo: values.repo,
    branch: values.branch,
    backend: values.backend,
    passphraseSecret: { name: values.secret, key: "PULUMI_CONFIG_PASSPHRASE" },
    webexCredential: webexCredentialSecrets(values.secret, credential),
    extraSecretEnv: secretEnv(values["secret-env"]),
    resyncFrequencySeconds: resync,
    serviceAccountName: values["service-account"],
    previewOnly: values["preview-only"],
    workspaceResources:
      Object.keys(requests).length > 0
        ? { requests, ...(values.memory ? { limits: { memory: values.memory } } : {}) }
        : undefined,
    organization: values.organization,
  });
  const yaml = toYamlDocuments(resources);
  if (values.out) {
    fs.writeFileSync(values.out, yaml);
    process.stderr.write(`${resources.length} resource(s) written to ${values.out}\n`);
  } else {
    process.stdout.write(yaml);
  }
}

try {
  main();
} catch (error) {
  process.stderr.write(`operator-stacks: ${(error as Error).message}\n`);
  process.exit(1);
}
