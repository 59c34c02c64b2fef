/** `haproxy -c` accepts the generated haproxy.cfg, without a warning, for the defaults and the knobs' corners. */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { renderHaproxyConfig } from "../../../edge/haproxyConfig";
import { EdgeProxyConfigInput } from "../../../edge/types";
import { CHECK_INTERVAL_MS, MEBIBYTE, useEdgeSuite } from "./edgeSuite";

const edge = useEdgeSuite();

describe("haproxy -c accepts the generated config", () => {
  const examples: Array<[string, Partial<EdgeProxyConfigInput>]> = [
    [
      "the defaults",
      { listenAddress: undefined, listenPort: undefined, monitorPort: undefined, healthCheck: undefined },
    ],
    [
      "DNS-named nodes with a backup, a separate check port and least-connections",
      {
        cloudConnectNodes: [
          { name: "publisher", host: "cc-pub.example.com", port: 8445 },
          { name: "subscriber", host: "cc-sub.example.com", port: 8445, backup: true },
        ],
        healthCheck: { path: "/status?probe=edge", port: 8446, expectStatus: "200,204" },
        balance: "leastconn",
      },
    ],
    [
      "IPv6 allow-list entries, a strict rate limit and long upload timeouts",
      {
        allowedClientCidrs: ["203.0.113.0/24", "2001:db8::/32"],
        rateLimit: { maxRequests: 50, periodSeconds: 60 },
        maxBodyBytes: 110 * MEBIBYTE,
        timeouts: { connectMs: CHECK_INTERVAL_MS, clientMs: 60_000, serverMs: 900_000 },
        trackingIdHeader: "x-tracking-id",
      },
    ],
    [
      "trusted load balancers whose forwarding headers are kept",
      { trustedProxyCidrs: ["10.0.0.0/8", "2001:db8:1::/48"] },
    ],
  ];

  it.each(examples)("%s", (label, overrides) => {
    const configPath = path.join(edge.workDir, `check-${label.replace(/\W+/g, "-")}.cfg`);
    fs.writeFileSync(configPath, renderHaproxyConfig(edge.edgeConfig(8443, 8404, overrides)));
    const check = spawnSync("haproxy", ["-c", "-f", configPath], { encoding: "utf8" });
    const output = `${check.stdout}${check.stderr}`;
    expect(check.status).toBe(0);
    expect(output).toContain("Configuration file is valid");
    // Clean: no warning or alert, but for example.com names that do not resolve here (init-addr none starts anyway).
    const complaints = output
      .split("\n")
      .filter(
        (line) =>
          /\[(WARNING|ALERT)\]/.test(line) &&
          !/could not resolve address '[a-z.-]+\.example\.com'/.test(line),
      );
    expect(complaints).toEqual([]);
  });
});
