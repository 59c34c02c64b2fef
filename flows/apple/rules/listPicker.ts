/** List picker: sections of items, single or multiple selection, items named by unique identifiers. */
import { asFields, asList, at, entries, repeated, shown, textsOf, type Path } from "../read";
import { DATA, finding, missingTexts, nonStrings, type AppleMessageRule, type Finding } from "../rule";
import { SOURCES } from "../sources";

const LIST_PICKER: Path = [...DATA, "listPicker"];
const SECTIONS: Path = [...LIST_PICKER, "sections"];

function items(message: unknown) {
  return entries(message, SECTIONS).flatMap((section) => entries(message, [...section.path, "items"]));
}

function orderFinding(holder: unknown, path: Path): Finding[] {
  const order = asFields(holder)?.order;
  return order === undefined || (Number.isInteger(order) && (order as number) >= 0)
    ? []
    : [
        finding(
          [...path, "order"],
          `is ${shown(order)}; order is a whole number from 0, the position to show it at.`,
        ),
      ];
}

export const LIST_PICKER_RULES: readonly AppleMessageRule[] = [
  {
    id: "list-picker.sections",
    description:
      "data.listPicker.sections is a non-empty list; each section has a non-empty items list, a string title " +
      "when given, and a whole-number order from 0 when given.",
    source: SOURCES.listPickerLivePerson,
    appliesTo: ["listPicker"],
    check: (message) => {
      const sections = asList(at(message, SECTIONS));
      if (sections === undefined || sections.length === 0) {
        return [
          finding(
            SECTIONS,
            `is ${shown(at(message, SECTIONS))}; give at least one section { title, items: [...] }.`,
          ),
        ];
      }
      return entries(message, SECTIONS).flatMap(({ value, path }) => {
        const section = asFields(value);
        const sectionItems = asList(section?.items);
        const noItems =
          sectionItems === undefined || sectionItems.length === 0
            ? [finding([...path, "items"], `is ${shown(section?.items)}; a section lists at least one item.`)]
            : [];
        return [...noItems, ...nonStrings(value, path, ["title"]), ...orderFinding(value, path)];
      });
    },
  },
  {
    id: "list-picker.multiple-selection",
    description: "multipleSelection (on a section, or on the list picker) is true or false.",
    source: SOURCES.listPickerLivePerson,
    appliesTo: ["listPicker"],
    check: (message) =>
      [{ value: at(message, LIST_PICKER), path: LIST_PICKER }, ...entries(message, SECTIONS)].flatMap(
        ({ value, path }) => {
          const multiple = asFields(value)?.multipleSelection;
          return multiple === undefined || typeof multiple === "boolean"
            ? []
            : [
                finding(
                  [...path, "multipleSelection"],
                  `is ${shown(multiple)}; write true to let the customer pick several items, false for one.`,
                ),
              ];
        },
      ),
  },
  {
    id: "list-picker.item",
    description:
      "Each item has an identifier and a title; subtitle is a string and order a whole number from 0 when given.",
    source: SOURCES.listPickerLivePerson,
    appliesTo: ["listPicker"],
    check: (message) =>
      items(message).flatMap(({ value, path }) => [
        ...missingTexts(value, path, ["identifier", "title"], "item"),
        ...nonStrings(value, path, ["subtitle"]),
        ...orderFinding(value, path),
      ]),
  },
  {
    id: "list-picker.unique-item-ids",
    description:
      "Item identifiers are unique across all sections: the customer's answer names the items by them.",
    source: SOURCES.listPickerLivePerson,
    appliesTo: ["listPicker"],
    check: (message) => {
      const listed = items(message);
      return repeated(textsOf(listed, "identifier")).map((identifier) => {
        const second = listed.filter(({ value }) => asFields(value)?.identifier === identifier)[1];
        return finding(
          [...second.path, "identifier"],
          `repeats the identifier ${shown(identifier)} of an earlier item; the answer names items by identifier, so give each its own.`,
        );
      });
    },
  },
];
