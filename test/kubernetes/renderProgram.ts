/** The render test's program: both Kubernetes components through a provider that renders to config `renderDir`. */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { CloudConnectEdge } from "../../components/cloudConnectEdge";
import { IntegrationService } from "../../components/integrationService";
import { edgeArgs, integrationArgs, WEBEX_CONNECT_TOKEN } from "./fixtures";

export default async () => {
  const provider = new k8s.Provider("render", {
    renderYamlToDirectory: new pulumi.Config().require("renderDir"),
  });
  const edge = new CloudConnectEdge("cce-edge", edgeArgs(), { provider });
  const service = new IntegrationService(
    "integration",
    integrationArgs({
      webexConnectCredential: { token: pulumi.secret(WEBEX_CONNECT_TOKEN) },
      ingressFrom: [edge.ingressPeer],
    }),
    { provider },
  );
  return { fqdn: edge.fqdn, serviceHost: service.serviceHost };
};
