import type { Page } from "./schemas";

/** Walks pages 1, 2, … until the last item of `total` or an empty page. */
export async function* paginate<T>(
  fetchPage: (page: number) => Promise<Page<T>>,
): AsyncGenerator<T, void, undefined> {
  for (let page = 1; ; page++) {
    const result = await fetchPage(page);
    yield* result.items;
    if (result.items.length === 0 || page * result.pageSize >= result.total) return;
  }
}

export async function collectAll<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

/** The first item that matches, reading only as many pages as needed. */
export async function findFirst<T>(
  items: AsyncIterable<T>,
  matches: (item: T) => boolean,
): Promise<T | undefined> {
  for await (const item of items) if (matches(item)) return item;
  return undefined;
}
