/**
 * Request headers that carry a client's address (or the scheme and host it used) in the spellings proxies, CDNs and
 * application servers read. From a client they are claims, so the edge drops all of them before it adds its own
 * X-Forwarded-For. Names are lower-case, as HAProxy holds them; the config matches '-' and '_' alike, since CGI-style
 * servers read X_Forwarded_For as X-Forwarded-For.
 */
export const CLIENT_ADDRESS_HEADERS: readonly string[] = [
  "forwarded",
  "forwarded-for",
  // x-forwarded, x-forwarded-for, -host, -proto, -port, -server, -ssl, -scheme, …
  "x-forwarded(-.+)?",
  "x-original-forwarded-for",
  "x-real-ip",
  "x-client-ip",
  "client-ip",
  "true-client-ip",
  "x-cluster-client-ip",
  "cf-connecting-ip(v6)?",
  "fastly-client-ip",
  "x-originating-ip",
  "x-remote-ip",
  "x-remote-addr",
  "x-proxyuser-ip",
  "x-envoy-external-address",
  "x-azure-clientip",
  "x-azure-socketip",
  "x-appengine-user-ip",
];

/** What a trusted load balancer in front of the edge may send, exactly spelled: the edge appends to its list. */
export const KEPT_FROM_TRUSTED_PROXIES: readonly string[] = ["x-forwarded-for", "forwarded", "x-real-ip"];
