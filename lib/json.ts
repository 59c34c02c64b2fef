/**
 * A deep copy of JSON data. Not structuredClone: that builds arrays of Node's own realm, which under jest's test
 * realm fail `instanceof Array`, and Pulumi's serializer then sends them as objects keyed "0", "1", ….
 */
export function cloneJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
