import type { OpeningHours } from '../../config/chat-service-config';
import { isOpenAt } from './opening-hours';

const at = (iso: string): number => Date.parse(iso);
const nineToFive = [{ From: '09:00', To: '17:00' }];
const everyDay = (periods: OpeningHours['Days']['Mon']): OpeningHours['Days'] => ({
  Mon: periods,
  Tue: periods,
  Wed: periods,
  Thu: periods,
  Fri: periods,
  Sat: periods,
  Sun: periods,
});
const stockholm: OpeningHours = { TimeZone: 'Europe/Stockholm', Days: everyDay(nineToFive) };

describe('isOpenAt', () => {
  it('when there are no opening hours, then it is always open', () => {
    expect(isOpenAt(null, at('2025-01-01T03:00:00Z'))).toBe(true);
    expect(isOpenAt(undefined, at('2025-01-01T03:00:00Z'))).toBe(true);
  });

  it('when the time is exactly From, then it is open, and a millisecond earlier it is closed', () => {
    expect(isOpenAt(stockholm, at('2025-01-15T08:00:00Z'))).toBe(true);
    expect(isOpenAt(stockholm, at('2025-01-15T07:59:59.999Z'))).toBe(false);
  });

  it('when the time is exactly To, then it is closed, and a millisecond earlier it is open', () => {
    expect(isOpenAt(stockholm, at('2025-01-15T16:00:00Z'))).toBe(false);
    expect(isOpenAt(stockholm, at('2025-01-15T15:59:59.999Z'))).toBe(true);
  });

  it('when the day is absent from Days, then it is closed all day', () => {
    const weekdaysOnly: OpeningHours = {
      TimeZone: 'Europe/Stockholm',
      Days: { Mon: nineToFive, Tue: nineToFive, Wed: nineToFive, Thu: nineToFive, Fri: nineToFive },
    };
    expect(isOpenAt(weekdaysOnly, at('2025-01-17T12:00:00Z'))).toBe(true); // Friday
    expect(isOpenAt(weekdaysOnly, at('2025-01-18T12:00:00Z'))).toBe(false); // Saturday
  });

  it('when a day has an empty list of periods, then it is closed', () => {
    const hours: OpeningHours = { TimeZone: 'Europe/Stockholm', Days: { Wed: [] } };
    expect(isOpenAt(hours, at('2025-01-15T12:00:00Z'))).toBe(false);
  });

  it('when a day has several periods, then it is closed between them', () => {
    const withLunch: OpeningHours = {
      TimeZone: 'Europe/Stockholm',
      Days: everyDay([
        { From: '09:00', To: '12:00' },
        { From: '13:00', To: '17:00' },
      ]),
    };
    expect(isOpenAt(withLunch, at('2025-01-15T10:59:00Z'))).toBe(true);
    expect(isOpenAt(withLunch, at('2025-01-15T11:30:00Z'))).toBe(false);
    expect(isOpenAt(withLunch, at('2025-01-15T12:00:00Z'))).toBe(true);
  });

  it('when To is 24:00, then it is open until the end of the day and the next day starts closed', () => {
    const evenings: OpeningHours = {
      TimeZone: 'Europe/Stockholm',
      Days: { Wed: [{ From: '18:00', To: '24:00' }] },
    };
    expect(isOpenAt(evenings, at('2025-01-15T22:59:59Z'))).toBe(true); // Wed 23:59:59
    expect(isOpenAt(evenings, at('2025-01-15T23:00:00Z'))).toBe(false); // Thu 00:00
  });

  it('when the local weekday differs from the UTC weekday, then the local weekday decides', () => {
    const fridayNight: OpeningHours = {
      TimeZone: 'America/New_York',
      Days: { Fri: [{ From: '22:00', To: '24:00' }] },
    };
    expect(isOpenAt(fridayNight, at('2025-01-18T04:00:00Z'))).toBe(true); // Fri 23:00 EST, Sat in UTC
    expect(isOpenAt(fridayNight, at('2025-01-17T23:00:00Z'))).toBe(false); // Fri 18:00 EST
  });

  it('when Stockholm moves to summer time in March, then opening follows the local clock', () => {
    expect(isOpenAt(stockholm, at('2025-03-29T08:00:00Z'))).toBe(true); // Sat 09:00 CET
    expect(isOpenAt(stockholm, at('2025-03-29T07:59:00Z'))).toBe(false);
    expect(isOpenAt(stockholm, at('2025-03-31T07:00:00Z'))).toBe(true); // Mon 09:00 CEST
    expect(isOpenAt(stockholm, at('2025-03-31T06:59:00Z'))).toBe(false);
    expect(isOpenAt(stockholm, at('2025-03-31T15:00:00Z'))).toBe(false); // Mon 17:00 CEST
  });

  it('when Stockholm skips 02:00-03:00 in March, then a period inside the skipped hour never opens', () => {
    const skipped: OpeningHours = {
      TimeZone: 'Europe/Stockholm',
      Days: { Sun: [{ From: '02:00', To: '03:00' }] },
    };
    expect(isOpenAt(skipped, at('2025-03-30T00:59:59Z'))).toBe(false); // 01:59:59 CET
    expect(isOpenAt(skipped, at('2025-03-30T01:00:00Z'))).toBe(false); // 03:00 CEST
  });

  it('when Stockholm returns to standard time in October, then opening follows the local clock', () => {
    expect(isOpenAt(stockholm, at('2025-10-24T07:00:00Z'))).toBe(true); // Fri 09:00 CEST
    expect(isOpenAt(stockholm, at('2025-10-24T06:59:00Z'))).toBe(false);
    expect(isOpenAt(stockholm, at('2025-10-27T08:00:00Z'))).toBe(true); // Mon 09:00 CET
    expect(isOpenAt(stockholm, at('2025-10-27T07:59:00Z'))).toBe(false);
    expect(isOpenAt(stockholm, at('2025-10-27T16:00:00Z'))).toBe(false); // Mon 17:00 CET
  });

  it('when Stockholm repeats 02:00-03:00 in October, then both passes through the hour are open', () => {
    const repeated: OpeningHours = {
      TimeZone: 'Europe/Stockholm',
      Days: { Sun: [{ From: '02:00', To: '03:00' }] },
    };
    expect(isOpenAt(repeated, at('2025-10-26T00:30:00Z'))).toBe(true); // 02:30 CEST
    expect(isOpenAt(repeated, at('2025-10-26T01:30:00Z'))).toBe(true); // 02:30 CET
    expect(isOpenAt(repeated, at('2025-10-26T02:00:00Z'))).toBe(false); // 03:00 CET
  });

  it('when New York changes clocks in March and November, then opening follows the local clock', () => {
    const newYork: OpeningHours = { TimeZone: 'America/New_York', Days: everyDay(nineToFive) };
    expect(isOpenAt(newYork, at('2025-03-07T14:00:00Z'))).toBe(true); // Fri 09:00 EST
    expect(isOpenAt(newYork, at('2025-03-07T13:59:00Z'))).toBe(false);
    expect(isOpenAt(newYork, at('2025-03-10T13:00:00Z'))).toBe(true); // Mon 09:00 EDT
    expect(isOpenAt(newYork, at('2025-03-10T12:59:00Z'))).toBe(false);
    expect(isOpenAt(newYork, at('2025-10-31T21:00:00Z'))).toBe(false); // Fri 17:00 EDT
    expect(isOpenAt(newYork, at('2025-11-03T14:00:00Z'))).toBe(true); // Mon 09:00 EST
    expect(isOpenAt(newYork, at('2025-11-03T13:30:00Z'))).toBe(false);
    expect(isOpenAt(newYork, at('2025-11-03T21:59:00Z'))).toBe(true); // Mon 16:59 EST
  });
});
