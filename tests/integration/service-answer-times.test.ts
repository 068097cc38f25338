import { answerTimesBetween, sendMessageBuckets } from '../../bench/lib/service-answer-times';

/** A metrics page with SendMessage's buckets (seconds → cumulative count) for both APIs. */
function page(customer: Record<string, number>, agent: Record<string, number>): string {
  const lines = (api: string, counts: Record<string, number>) =>
    Object.entries(counts).map(
      ([le, count]) =>
        `chatservice_request_duration_seconds_bucket{api="${api}",method="SendMessage",outcome="ok",le="${le}"} ${count}`,
    );
  return [
    '# TYPE chatservice_request_duration_seconds histogram',
    ...lines('customer', customer),
    ...lines('agent', agent),
    'chatservice_request_duration_seconds_bucket{api="customer",method="SendMessage",outcome="Forbidden",le="0.01"} 50',
    'chatservice_request_duration_seconds_bucket{api="customer",method="GetEvents",outcome="ok",le="0.01"} 70',
  ].join('\n');
}

describe('the Chat Service’s own SendMessage answer times, from its histogram', () => {
  test('When two pages are read, then only the accepted answers between them count, both APIs summed', () => {
    const before = sendMessageBuckets(
      page({ '0.01': 10, '0.025': 10, '+Inf': 10 }, { '0.01': 0, '0.025': 0, '+Inf': 0 }),
    );
    const after = sendMessageBuckets(
      page({ '0.01': 60, '0.025': 108, '+Inf': 110 }, { '0.01': 50, '0.025': 50, '+Inf': 100 }),
    );
    const times = answerTimesBetween(before, after);
    // 200 answers: 100 within 10 ms, 48 more within 25 ms, 52 beyond.
    expect(times).toEqual({ count: 200, p50Ms: 10, p99Ms: 25, within25MsPercent: 74 });
  });

  test('When the p99 falls inside a bucket, then it is read in proportion within it', () => {
    const none = sendMessageBuckets(page({ '0.01': 0, '0.02': 0, '+Inf': 0 }, {}));
    const after = sendMessageBuckets(page({ '0.01': 90, '0.02': 100, '+Inf': 100 }, {}));
    expect(answerTimesBetween(none, after)?.p99Ms).toBe(19);
  });

  test('When nothing was answered between the readings, then there are no times', () => {
    const same = sendMessageBuckets(page({ '0.01': 5, '+Inf': 5 }, {}));
    expect(answerTimesBetween(same, same)).toBeNull();
  });
});
