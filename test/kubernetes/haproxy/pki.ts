/** A test PKI made with openssl, in HAProxy's split layout (`x.pem` + `x.pem.key`), the layout the container mounts. */
import { execFileSync } from "node:child_process";
import * as path from "node:path";
import { LOOPBACK } from "./loopback";

export interface TestPki {
  caPem: string;
  frontCertificate: string;
  clientCertificate: string;
  nodeCertificate(node: string): string;
}

function openssl(dir: string, args: string[]): void {
  execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
}

function issue(dir: string, file: string, subject: string, extensions: string[]): void {
  // prettier-ignore
  openssl(dir, [
    "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
    "-keyout", `${file}.key`, "-out", `${file}.csr`, "-subj", subject,
    ...extensions.flatMap((extension) => ["-addext", extension]),
  ]);
  // prettier-ignore
  openssl(dir, [
    "x509", "-req", "-in", `${file}.csr`, "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
    "-days", "2", "-copy_extensions", "copyall", "-out", file,
  ]);
}

/** One CA signs the front certificate, the nodes' server certificates and the proxy's client certificate. */
export function createPki(dir: string, frontHost: string, nodeNames: string[]): TestPki {
  // prettier-ignore
  openssl(dir, [
    "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
    "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=Test Cloud Connect CA",
    "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
  ]);
  issue(dir, "front.pem", `/CN=${frontHost}`, [
    `subjectAltName=DNS:${frontHost},IP:${LOOPBACK}`,
    "extendedKeyUsage=serverAuth",
  ]);
  issue(dir, "client.pem", "/CN=cloud-connect-edge", ["extendedKeyUsage=clientAuth"]);
  for (const node of nodeNames) {
    issue(dir, `${node}.pem`, `/CN=${nodeServerName(node)}`, [
      `subjectAltName=DNS:${nodeServerName(node)}`,
      "extendedKeyUsage=serverAuth",
    ]);
  }
  return {
    caPem: path.join(dir, "ca.pem"),
    frontCertificate: path.join(dir, "front.pem"),
    clientCertificate: path.join(dir, "client.pem"),
    nodeCertificate: (node) => path.join(dir, `${node}.pem`),
  };
}

export function nodeServerName(node: string): string {
  return `${node}.cloud-connect.test`;
}
