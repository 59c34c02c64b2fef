/** Small HTTP helpers shared by the API and control handlers. */
import type * as http from "node:http";
import { HttpProblem } from "./problem";

const MAX_BODY_BYTES = 5 * 1024 * 1024;

export function sendJson(
  response: http.ServerResponse,
  status: number,
  body?: unknown,
  headers: Record<string, string> = {},
): void {
  const text = body === undefined ? "" : JSON.stringify(body);
  response.writeHead(status, {
    ...headers,
    ...(text ? { "content-type": "application/json", "content-length": Buffer.byteLength(text) } : {}),
  });
  response.end(text);
}

export function readBody(request: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES)
        reject(
          new HttpProblem(413, "too_large", `Bodies are limited to ${MAX_BODY_BYTES} bytes.`, {
            field: "body",
          }),
        );
      else chunks.push(chunk);
    });
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

export function parseJsonBody(text: string): unknown {
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpProblem(400, "invalid_json", "The request body is not valid JSON.", { field: "body" });
  }
}
