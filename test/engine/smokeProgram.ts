/** The smoke test's program: a dynamic provider and a Kubernetes ConfigMap rendered to config `renderDir`. */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";

const greetingProvider: pulumi.dynamic.ResourceProvider = {
  async create(inputs) {
    return { id: `greeting-${inputs.who}`, outs: { who: inputs.who, message: `hello ${inputs.who}` } };
  },
};

class Greeting extends pulumi.dynamic.Resource {
  declare readonly message: pulumi.Output<string>;
  constructor(name: string, who: string, opts?: pulumi.CustomResourceOptions) {
    super(greetingProvider, name, { who, message: undefined }, opts, "smoke", "Greeting");
  }
}

export default async () => {
  const greeting = new Greeting("greeting", "platform");
  const renderer = new k8s.Provider("render", {
    renderYamlToDirectory: new pulumi.Config().require("renderDir"),
  });
  const configMap = new k8s.core.v1.ConfigMap(
    "greeting",
    { metadata: { name: "greeting", namespace: "smoke" }, data: { message: greeting.message } },
    { provider: renderer },
  );
  return { message: greeting.message, configMapName: configMap.metadata.name };
};
