/** Forms: pages with unique short ids, a start page and next pages that exist, and the page types Apple draws. */
import { asFields, asList, at, entries, isText, repeated, shown, type Path } from "../read";
import { DATA, finding, type AppleMessageRule, type Finding } from "../rule";
import { SOURCES } from "../sources";
import { FORM_PAGE_TYPES, FORM_VERSION } from "../types";

const DYNAMIC: Path = [...DATA, "dynamic"];
const FORM: Path = [...DYNAMIC, "data"];
const PAGES: Path = [...FORM, "pages"];
/** Page ids are "less than 20 characters in length" (LivePerson's form template). */
export const PAGE_ID_MAX_LENGTH = 19;
const PAGES_WITH_ITEMS = ["select", "picker"];

function pageIds(message: unknown): unknown[] {
  return entries(message, PAGES).map(({ value }) => asFields(value)?.pageIdentifier);
}

/** Every nextPageIdentifier of the form: on pages, and on the items of single-select pages. */
function nextPageReferences(message: unknown): Array<{ path: Path; target: unknown }> {
  return entries(message, PAGES).flatMap((page) =>
    [page, ...entries(message, [...page.path, "items"])].flatMap(({ value, path }) => {
      const target = asFields(value)?.nextPageIdentifier;
      return target === undefined ? [] : [{ path: [...path, "nextPageIdentifier"], target }];
    }),
  );
}

function isSingleSelect(page: unknown): boolean {
  const fields = asFields(page);
  return fields?.type === "select" && fields.multipleSelection !== true;
}

export const FORM_RULES: readonly AppleMessageRule[] = [
  {
    id: "form.envelope",
    description: `data.dynamic is { version: "${FORM_VERSION}", template: "form", data } and data.pages is a non-empty list.`,
    source: SOURCES.formLivePerson,
    appliesTo: ["form"],
    check: (message) => {
      const dynamic = asFields(at(message, DYNAMIC));
      if (dynamic === undefined) {
        return [
          finding(
            DYNAMIC,
            `is ${shown(at(message, DYNAMIC))}; give { version: "${FORM_VERSION}", template: "form", data }.`,
          ),
        ];
      }
      const found: Finding[] = [];
      if (dynamic.version !== FORM_VERSION) {
        found.push(
          finding(
            [...DYNAMIC, "version"],
            `is ${shown(dynamic.version)}; a form's version is "${FORM_VERSION}".`,
          ),
        );
      }
      if (dynamic.template !== "form") {
        found.push(
          finding([...DYNAMIC, "template"], `is ${shown(dynamic.template)}; a form's template is "form".`),
        );
      }
      const pages = asList(at(message, PAGES));
      if (pages === undefined || pages.length === 0) {
        found.push(finding(PAGES, `is ${shown(at(message, PAGES))}; a form has at least one page.`));
      }
      return found;
    },
  },
  {
    id: "form.page-ids",
    description: `Each page has a pageIdentifier of at most ${PAGE_ID_MAX_LENGTH} characters, used by no other page.`,
    source: SOURCES.formLivePerson,
    appliesTo: ["form"],
    check: (message) => {
      const shapes = entries(message, PAGES).flatMap(({ value, path }) => {
        const id = asFields(value)?.pageIdentifier;
        if (!isText(id))
          return [
            finding([...path, "pageIdentifier"], `is ${shown(id)}; every page needs a pageIdentifier.`),
          ];
        return id.length > PAGE_ID_MAX_LENGTH
          ? [
              finding(
                [...path, "pageIdentifier"],
                `is ${id.length} characters long; page ids must be shorter than 20: shorten ${shown(id)}.`,
              ),
            ]
          : [];
      });
      const twice = repeated(pageIds(message).filter(isText)).map((id) =>
        finding(
          PAGES,
          `gives the pageIdentifier ${shown(id)} to more than one page; make each unique (answers are keyed by it).`,
        ),
      );
      return [...shapes, ...twice];
    },
  },
  {
    id: "form.page-type",
    description: `Each page's type is one of ${FORM_PAGE_TYPES.join(", ")}; select and picker pages list items.`,
    source: SOURCES.formLivePerson,
    appliesTo: ["form"],
    check: (message) =>
      entries(message, PAGES).flatMap(({ value, path }) => {
        const page = asFields(value);
        if (!(FORM_PAGE_TYPES as readonly unknown[]).includes(page?.type)) {
          return [
            finding([...path, "type"], `is ${shown(page?.type)}; use one of ${FORM_PAGE_TYPES.join(", ")}.`),
          ];
        }
        const items = asList(page?.items);
        return PAGES_WITH_ITEMS.includes(page?.type as string) && (items === undefined || items.length === 0)
          ? [
              finding(
                [...path, "items"],
                `is ${shown(page?.items)}; a ${String(page?.type)} page lists the items to choose from.`,
              ),
            ]
          : [];
      }),
  },
  {
    id: "form.start-page",
    description: "data.startPageIdentifier names one of the form's pages.",
    source: SOURCES.formLivePerson,
    appliesTo: ["form"],
    check: (message) => {
      if (asList(at(message, PAGES)) === undefined) return []; // form.envelope says the pages are missing
      const start = at(message, [...FORM, "startPageIdentifier"]);
      const ids = pageIds(message);
      return ids.includes(start) && isText(start)
        ? []
        : [
            finding(
              [...FORM, "startPageIdentifier"],
              `is ${shown(start)}; name the first page by its pageIdentifier (${ids
                .filter(isText)
                .map((id) => JSON.stringify(id))
                .join(", ")}).`,
            ),
          ];
    },
  },
  {
    id: "form.next-page",
    description: "Every nextPageIdentifier (of a page or of an item) names one of the form's pages.",
    source: SOURCES.formLivePerson,
    appliesTo: ["form"],
    check: (message) => {
      const ids = pageIds(message);
      return nextPageReferences(message)
        .filter(({ target }) => !ids.includes(target))
        .map(({ path, target }) =>
          finding(
            path,
            `names the page ${shown(target)}, which the form does not have; name an existing page, or remove it on the last page.`,
          ),
        );
    },
  },
  {
    id: "form.single-select-next",
    description:
      "A single-select page (type select without multipleSelection) puts nextPageIdentifier on each item, not on the page.",
    source: SOURCES.formLivePerson,
    appliesTo: ["form"],
    check: (message) =>
      entries(message, PAGES)
        .filter(({ value }) => isSingleSelect(value) && asFields(value)?.nextPageIdentifier !== undefined)
        .map(({ path }) =>
          finding(
            [...path, "nextPageIdentifier"],
            "is set on a single-select page, where Apple takes the next page from the chosen item: move it onto each item.",
          ),
        ),
  },
];
