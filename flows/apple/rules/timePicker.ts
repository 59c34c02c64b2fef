/** Time picker: an event with time slots, an optional zone offset and an optional location. */
import { asFields, asList, at, entries, repeated, shown, textsOf, type Fields, type Path } from "../read";
import { DATA, finding, missingTexts, nonStrings, type AppleMessageRule, type Finding } from "../rule";
import { SOURCES } from "../sources";

const EVENT: Path = [...DATA, "event"];
const SLOTS: Path = [...EVENT, "timeslots"];
const LOCATION: Path = [...EVENT, "location"];

/** `2020-04-01T15:30+0000`: date, hours and minutes, and the offset as ±hhmm. */
const START_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})([+-])(\d{2})(\d{2})$/;
const START_TIME_EXAMPLE = "2020-04-01T15:30+0000";

export function isStartTime(value: unknown): boolean {
  const match = typeof value === "string" ? START_TIME.exec(value) : null;
  if (match === null) return false;
  const [year, month, day, hour, minute, , offsetHours, offsetMinutes] = match.slice(1).map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  return (
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day &&
    hour < 24 &&
    minute < 60 &&
    offsetHours <= 14 &&
    offsetMinutes < 60
  );
}

/** Real zones lie between GMT-12 and GMT+14, on quarter hours; an offset in hours (-7) fails that, as it should. */
const OFFSET_MINUTES = { min: -12 * 60, max: 14 * 60, step: 15 };

const COORDINATES = [
  { key: "latitude", limit: 90 },
  { key: "longitude", limit: 180 },
] as const;

function coordinateFindings(location: Fields): Finding[] {
  return COORDINATES.flatMap(({ key, limit }) => {
    const value = location[key];
    return typeof value === "number" && Math.abs(value) <= limit
      ? []
      : [
          finding(
            [...LOCATION, key],
            `is ${shown(value)}; a location has a ${key}, a number from -${limit} to ${limit}.`,
          ),
        ];
  });
}

export const TIME_PICKER_RULES: readonly AppleMessageRule[] = [
  {
    id: "time-picker.event",
    description: "data.event is an object with a non-empty timeslots list; its title is a string when given.",
    source: SOURCES.timePickerLivePerson,
    appliesTo: ["timePicker"],
    check: (message) => {
      const event = asFields(at(message, EVENT));
      if (event === undefined) {
        return [
          finding(EVENT, `is ${shown(at(message, EVENT))}; give an event { title, timeslots: [...] }.`),
        ];
      }
      const slots = asList(event.timeslots);
      const noSlots =
        slots === undefined || slots.length === 0
          ? [
              finding(
                SLOTS,
                `is ${shown(event.timeslots)}; offer at least one time slot { identifier, startTime, duration }.`,
              ),
            ]
          : [];
      return [...noSlots, ...nonStrings(event, EVENT, ["title"])];
    },
  },
  {
    id: "time-picker.slot-ids",
    description: "Each time slot has an identifier of its own: the customer's answer names the slot by it.",
    source: SOURCES.timePickerLivePerson,
    appliesTo: ["timePicker"],
    check: (message) => {
      const slots = entries(message, SLOTS);
      const missing = slots.flatMap(({ value, path }) => missingTexts(value, path, ["identifier"], "slot"));
      const twice = repeated(textsOf(slots, "identifier")).map((identifier) =>
        finding(SLOTS, `gives the identifier ${shown(identifier)} to more than one slot; make each unique.`),
      );
      return [...missing, ...twice];
    },
  },
  {
    id: "time-picker.start-time",
    description: `Each slot's startTime is a real date and time with its offset, written like ${START_TIME_EXAMPLE}.`,
    source: SOURCES.timePickerLivePerson,
    appliesTo: ["timePicker"],
    check: (message) =>
      entries(message, SLOTS).flatMap(({ value, path }) => {
        const start = asFields(value)?.startTime;
        return isStartTime(start)
          ? []
          : [
              finding(
                [...path, "startTime"],
                `is ${shown(start)}; write the date, time and offset like ${START_TIME_EXAMPLE} (no seconds, offset as +hhmm).`,
              ),
            ];
      }),
  },
  {
    id: "time-picker.duration",
    description: "Each slot's duration is a whole number of seconds above 0.",
    source: SOURCES.timePickerLivePerson,
    appliesTo: ["timePicker"],
    check: (message) =>
      entries(message, SLOTS).flatMap(({ value, path }) => {
        const duration = asFields(value)?.duration;
        return Number.isInteger(duration) && (duration as number) > 0
          ? []
          : [
              finding(
                [...path, "duration"],
                `is ${shown(duration)}; give the slot's length in seconds, e.g. 3600 for an hour.`,
              ),
            ];
      }),
  },
  {
    id: "time-picker.timezone-offset",
    description:
      "event.timezoneOffset, when given, is minutes from GMT: a whole number of quarter hours from -720 to 840 " +
      "(without it, slots show in the customer's zone).",
    source: SOURCES.timePickerLivePerson,
    appliesTo: ["timePicker"],
    check: (message) => {
      const offset = asFields(at(message, EVENT))?.timezoneOffset;
      if (offset === undefined) return [];
      const valid =
        Number.isInteger(offset) &&
        (offset as number) >= OFFSET_MINUTES.min &&
        (offset as number) <= OFFSET_MINUTES.max &&
        (offset as number) % OFFSET_MINUTES.step === 0;
      return valid
        ? []
        : [
            finding(
              [...EVENT, "timezoneOffset"],
              `is ${shown(offset)}; give minutes from GMT, e.g. -420 for GMT-7 (not hours), or leave it out to show the customer's time.`,
            ),
          ];
    },
  },
  {
    id: "time-picker.location",
    description:
      "event.location, when given, has a latitude and a longitude together; its radius is a number above 0 and its " +
      "title a string when given.",
    source: SOURCES.timePickerLivePerson,
    appliesTo: ["timePicker"],
    check: (message) => {
      const value = at(message, LOCATION);
      if (value === undefined) return [];
      const location = asFields(value);
      if (location === undefined) {
        return [
          finding(LOCATION, `is ${shown(value)}; a location is { latitude, longitude, radius, title }.`),
        ];
      }
      const radius =
        location.radius === undefined || (typeof location.radius === "number" && location.radius > 0)
          ? []
          : [
              finding(
                [...LOCATION, "radius"],
                `is ${shown(location.radius)}; the radius is a number of metres above 0.`,
              ),
            ];
      return [...coordinateFindings(location), ...radius, ...nonStrings(location, LOCATION, ["title"])];
    },
  },
];
