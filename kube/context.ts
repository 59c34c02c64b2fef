/** The kubeconfig context of the local API server (kube/localApiServer.ts), which the local default deploys to. */
export const LOCAL_CONTEXT = "amb-local";
