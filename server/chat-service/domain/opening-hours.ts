import type { OpeningHours } from '../../config/chat-service-config';

type Weekday = keyof OpeningHours['Days'];

const WEEKDAYS: ReadonlySet<string> = new Set<Weekday>([
  'Mon',
  'Tue',
  'Wed',
  'Thu',
  'Fri',
  'Sat',
  'Sun',
]);

// Building a DateTimeFormat is costly and the hours are checked on every chat request.
const formatters = new Map<string, Intl.DateTimeFormat>();

/** Whether a service group with these hours is open at the instant; no hours means always open. */
export function isOpenAt(hours: OpeningHours | null | undefined, epochMs: number): boolean {
  if (!hours) return true;
  const { weekday, time } = localWeekdayAndTime(hours.TimeZone, epochMs);
  if (!isWeekday(weekday)) return false;
  const periods = hours.Days[weekday] ?? [];
  // Zero-padded HH:MM compares correctly as text, and "24:00" sorts after every real time.
  return periods.some((period) => period.From <= time && time < period.To);
}

function localWeekdayAndTime(timeZone: string, epochMs: number): { weekday: string; time: string } {
  const parts = formatterFor(timeZone).formatToParts(epochMs);
  const part = (type: Intl.DateTimeFormatPartTypes): string =>
    (parts.find((candidate) => candidate.type === type)?.value ?? '').padStart(2, '0');
  return { weekday: part('weekday'), time: `${part('hour')}:${part('minute')}` };
}

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    // en-US gives the short weekday names the config uses; h23 avoids the "24:05" of hour12: false.
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

function isWeekday(value: string): value is Weekday {
  return WEEKDAYS.has(value);
}
