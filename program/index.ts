/**
 * This repository's own Pulumi program: a consumer of the package like any team's, and the same text that
 * `amb-cce-connect init` writes (test/cli/init.test.ts holds the two together). One stack = one environment × one
 * AMB asset (`<env>-<asset>`); the stack file is validated as a whole before any resource exists.
 */
import { AmbChannel, readStackConfig } from "amb-cce-connect";

const config = readStackConfig();
const channel = new AmbChannel(config.stackName, config);

export const fqdn = channel.fqdn;
export const flows = channel.flows;
export const businessChatUrl = channel.businessChatUrl;
export const mspLink = channel.mspLink;
export const readiness = channel.readiness;
