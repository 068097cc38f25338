import { ManualTime } from '../../shared/manual-time';
import type { Logger } from '../../shared/logger';
import { OriginRefusalLog } from './origin-refusal-log';

function recordingLogger(): { logger: Logger; origins: string[] } {
  const origins: string[] = [];
  const logger: Logger = {
    debug: () => undefined,
    info: () => undefined,
    warn: (data) => origins.push((data as { origin: string }).origin),
    error: () => undefined,
  };
  return { logger, origins };
}

describe('the log of refused origins', () => {
  test('when an origin is refused again and again, then it is logged once a minute, each origin apart', () => {
    const clock = new ManualTime();
    const { logger, origins } = recordingLogger();
    const log = new OriginRefusalLog({ clock, logger });
    for (let attempt = 0; attempt < 50; attempt += 1) log.refused('http://a.example');
    log.refused('http://b.example');
    clock.advance(59_999);
    log.refused('http://a.example');
    expect(origins).toEqual(['http://a.example', 'http://b.example']);
    clock.advance(1);
    log.refused('http://a.example');
    log.refused('http://a.example');
    expect(origins).toEqual(['http://a.example', 'http://b.example', 'http://a.example']);
  });

  test('when more origins than it keeps are refused, then it forgets the oldest and its memory stays bounded', () => {
    const clock = new ManualTime();
    const { logger, origins } = recordingLogger();
    const log = new OriginRefusalLog({ clock, logger, maxOrigins: 2 });
    for (const name of ['a', 'b', 'c']) log.refused(`http://${name}.example`);
    // b and c are remembered; a was forgotten, so it is logged again within the minute.
    log.refused('http://c.example');
    log.refused('http://a.example');
    expect(origins).toEqual([
      'http://a.example',
      'http://b.example',
      'http://c.example',
      'http://a.example',
    ]);
  });
});
