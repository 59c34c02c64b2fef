import { DEFAULT_BODY_LIMIT_BYTES, MIN_BODY_LIMIT_BYTES } from "../../edge/types";
import { checkEdgeProxyConfig, edgeProxyPolicy, haproxyConfigProblems } from "../../policies/rules/edgeProxy";
import { UNKNOWN } from "../../lib/facts";
import { parseHaproxyConfig, splitWords } from "../../policies/rules/haproxyParse";
import { edgeObjects, integrationObjects } from "./fixtures";
import { messagesOf, runResourcePolicy, type FakeResource } from "./policyHarness";

async function edgeConfigMap(): Promise<FakeResource> {
  return (await edgeObjects()).configMap;
}

function configText(configMap: FakeResource): string {
  return (configMap.props.data as Record<string, string>)["haproxy.cfg"];
}

async function withConfig(edit: (text: string) => string): Promise<FakeResource> {
  const configMap = await edgeConfigMap();
  const data = configMap.props.data as Record<string, string>;
  const edited = edit(data["haproxy.cfg"]);
  expect(edited).not.toBe(data["haproxy.cfg"]);
  data["haproxy.cfg"] = edited;
  return configMap;
}

const lineOf = (text: string, fragment: string) =>
  text.split("\n").findIndex((line) => line.includes(fragment)) + 1;

/** A minimal config around the lines under test. */
const config = (...sections: string[]) =>
  [
    "global",
    "    ssl-default-bind-options ssl-min-ver TLSv1.2",
    "    ssl-default-server-options ssl-min-ver TLSv1.2",
    ...sections,
  ].join("\n");

describe("splitWords and parseHaproxyConfig read haproxy.cfg as HAProxy does", () => {
  test("quotes group words, backslashes escape, # starts a comment", () => {
    expect(splitWords('    log-format "%ci [%tr] \\"q\\"" # trailing comment')).toEqual([
      "log-format",
      '%ci [%tr] "q"',
    ]);
    expect(splitWords("acl x path_beg '/a b' \\#literal")).toEqual([
      "acl",
      "x",
      "path_beg",
      "/a b",
      "#literal",
    ]);
    expect(splitWords("   # only a comment")).toEqual([]);
  });

  test("sections hold their lines with line numbers", () => {
    const sections = parseHaproxyConfig("# head\nglobal\n  maxconn 10\n\nbackend b\n  server s h:1 check\n");
    expect(sections).toEqual([
      { kind: "global", name: "", lineNumber: 2, lines: [{ lineNumber: 3, words: ["maxconn", "10"] }] },
      {
        kind: "backend",
        name: "b",
        lineNumber: 5,
        lines: [{ lineNumber: 6, words: ["server", "s", "h:1", "check"] }],
      },
    ]);
  });
});

describe("edge-proxy-carries-the-channel (mandatory)", () => {
  test("passes the haproxy.cfg that CloudConnectEdge renders", async () => {
    expect(await runResourcePolicy(edgeProxyPolicy, await edgeConfigMap())).toEqual({ violations: [] });
  });

  test("applies to the edge's ConfigMap only", async () => {
    const { configMap } = await integrationObjects();
    (configMap.props.data as Record<string, string>)["haproxy.cfg"] = "backend b\n    server s h:1\n";
    expect(await runResourcePolicy(edgeProxyPolicy, configMap)).toEqual({ violations: [] });
  });

  test("fails a body limit below 100 MB", async () => {
    const configMap = await withConfig((text) =>
      text.replace(`gt ${DEFAULT_BODY_LIMIT_BYTES}`, "gt 10485760"),
    );
    const line = lineOf(configText(configMap), "gt 10485760");
    expect(messagesOf(await runResourcePolicy(edgeProxyPolicy, configMap))).toEqual([
      `ConfigMap "cce-edge-config" haproxy.cfg, frontend webex_connect, line ${line}: "http-request deny …" refuses ` +
        "request bodies over 10485760 bytes; Apple Messages for Business attachments reach 100 MB. Fix: allow at " +
        `least ${MIN_BODY_LIMIT_BYTES} bytes (maxBodyBytes of the edge configuration).`,
    ]);
  });

  test("fails a streaming body limit below 100 MB", async () => {
    const configMap = await withConfig((text) =>
      text.replace(`filter lua.body-limit ${DEFAULT_BODY_LIMIT_BYTES}`, "filter lua.body-limit 10485760"),
    );
    const line = lineOf(configText(configMap), "filter lua.body-limit");
    expect(messagesOf(await runResourcePolicy(edgeProxyPolicy, configMap))).toEqual([
      `ConfigMap "cce-edge-config" haproxy.cfg, frontend webex_connect, line ${line}: "filter lua.body-limit 10485760" ` +
        `cuts request bodies sent without Content-Length over 10485760 bytes; Apple Messages for ` +
        `Business attachments reach 100 MB. Fix: allow at least ${MIN_BODY_LIMIT_BYTES} bytes (maxBodyBytes of the ` +
        "edge configuration).",
    ]);
  });

  test("reads body limits through named ACLs, `unless`, ge/lt and tcp-request rules", () => {
    const problems = haproxyConfigProblems(
      config(
        "frontend f",
        "    acl too_big req.body_size gt 1000",
        "    acl huge req.hdr_val(content-length) gt 200000000",
        "    http-request deny if too_big",
        "    http-request deny if huge",
        "    http-request deny unless { req.body_len lt 2000 }",
        "    tcp-request content reject if { req.hdr_val(Content-Length) -m int ge 3000 }",
        "    http-request deny if !too_big",
      ),
    );
    expect(problems).toEqual([
      expect.stringMatching(
        /^frontend f, line 7: "http-request deny …" refuses request bodies over 1000 bytes/,
      ),
      expect.stringMatching(
        /^frontend f, line 9: "http-request deny …" refuses request bodies over 1999 bytes/,
      ),
      expect.stringMatching(
        /^frontend f, line 10: "tcp-request content …" refuses request bodies over 2999 bytes/,
      ),
    ]);
  });

  test("fails a TLS listener without a minimum version, or one below TLS 1.2", async () => {
    const noMinimum = await withConfig((text) =>
      text.replace("ssl-default-bind-options ssl-min-ver TLSv1.2", "ssl-default-bind-options no-tls-tickets"),
    );
    const line = lineOf(configText(noMinimum), "bind 0.0.0.0:8443");
    expect(messagesOf(await runResourcePolicy(edgeProxyPolicy, noMinimum))).toEqual([
      `ConfigMap "cce-edge-config" haproxy.cfg, frontend webex_connect, line ${line}: bind 0.0.0.0:8443 sets no ` +
        'minimum TLS version, so it depends on the HAProxy build. Fix: add "ssl-min-ver TLSv1.2" to the bind line, ' +
        "or to ssl-default-bind-options in global.",
    ]);
    const old = await withConfig((text) =>
      text.replace("alpn h2,http/1.1\n", "alpn h2,http/1.1 ssl-min-ver TLSv1.0\n"),
    );
    expect(messagesOf(await runResourcePolicy(edgeProxyPolicy, old))).toEqual([
      `ConfigMap "cce-edge-config" haproxy.cfg, frontend webex_connect, line ${line}: bind 0.0.0.0:8443 allows ` +
        'TLSv1.0; the Cloud Connect path needs TLSv1.2 or newer. Fix: add "ssl-min-ver TLSv1.2" to the bind line, ' +
        "or to ssl-default-bind-options in global.",
    ]);
  });

  test("checks the TLS version towards Cloud Connect, inherited from default-server or global", async () => {
    const serverOld = await withConfig((text) =>
      text.replace(
        "ssl-default-server-options ssl-min-ver TLSv1.2",
        "ssl-default-server-options ssl-min-ver TLSv1.1",
      ),
    );
    const text = configText(serverOld);
    expect(messagesOf(await runResourcePolicy(edgeProxyPolicy, serverOld))).toEqual(
      ["publisher", "subscriber"].map(
        (server) =>
          `ConfigMap "cce-edge-config" haproxy.cfg, backend cloud_connect, line ${lineOf(text, `server ${server}`)}: ` +
          `server ${server} allows TLSv1.1; the Cloud Connect path needs TLSv1.2 or newer. Fix: add ` +
          '"ssl-min-ver TLSv1.2" to the server line, or to ssl-default-server-options in global.',
      ),
    );
    expect(
      haproxyConfigProblems(
        [
          "defaults",
          "    default-server check ssl force-tlsv11",
          "backend b",
          "    server a h:1",
          "    server c h:2 ssl-min-ver TLSv1.3",
          "    server d h:3 no-ssl",
          "listen l",
          "    bind :443 ssl crt x.pem no-sslv3 no-tlsv10 no-tlsv11",
          "    server e h:4 check ssl",
        ].join("\n"),
      ),
    ).toEqual([
      expect.stringMatching(/^backend b, line 4: server a allows TLSv1.1;/),
      expect.stringMatching(/^listen l, line 9: server e allows TLSv1.1;/),
    ]);
  });

  test("takes a server this config binds itself (the edge's relay hop) for no Cloud Connect node", () => {
    const problems = haproxyConfigProblems(
      config(
        "frontend relay_in",
        "    bind unix@/var/run/haproxy/relay.sock mode 600",
        "backend relay",
        "    server relay unix@/var/run/haproxy/relay.sock maxconn 10",
        "    server elsewhere unix@/var/run/other.sock",
      ),
    );
    expect(problems).toEqual([
      expect.stringMatching(/^backend relay, line 8: server elsewhere has no health check/),
    ]);
  });

  test("fails a Cloud Connect server without a health check", async () => {
    const unchecked = await withConfig((text) =>
      text.replace("default-server check inter", "default-server inter"),
    );
    const text = configText(unchecked);
    expect(messagesOf(await runResourcePolicy(edgeProxyPolicy, unchecked))).toEqual(
      ["publisher", "subscriber"].map(
        (server) =>
          `ConfigMap "cce-edge-config" haproxy.cfg, backend cloud_connect, line ${lineOf(text, `server ${server}`)}: ` +
          `server ${server} has no health check, so requests keep going to a Cloud Connect node that is down. ` +
          'Fix: add "check" to the server line or to default-server.',
      ),
    );
    expect(
      haproxyConfigProblems(
        config(
          "backend b",
          "    server a h:1 check",
          "    default-server check",
          "    server c h:2 no-check",
          "    server-template n 3 h:3",
        ),
      ),
    ).toEqual([expect.stringMatching(/^backend b, line 7: server c has no health check/)]);
  });

  test("fails an edge ConfigMap without haproxy.cfg", async () => {
    const configMap = await edgeConfigMap();
    configMap.props.data = { "other.cfg": "x" };
    expect(messagesOf(await runResourcePolicy(edgeProxyPolicy, configMap))).toEqual([
      'ConfigMap "cce-edge-config" of the Cloud Connect edge has no haproxy.cfg. Fix: create the edge with ' +
        "CloudConnectEdge, which renders it from the edge configuration.",
    ]);
  });

  test("skips a haproxy.cfg not known at preview, and says so", async () => {
    const configMap = await edgeConfigMap();
    configMap.props.data = { "haproxy.cfg": UNKNOWN };
    const outcome = checkEdgeProxyConfig({ ...configMap, urn: "urn" });
    expect(outcome.violations).toEqual([]);
    expect(outcome.skipped).toEqual(['ConfigMap "cce-edge-config" data.haproxy.cfg']);
    expect((await runResourcePolicy(edgeProxyPolicy, configMap)).skipped).toMatch(/data\.haproxy\.cfg$/);
  });
});
