import {
  AttachmentSchema,
  GetEventsBatchResponseSchema,
  GetEventsResponseSchema,
  RequestChatResponseSchema,
  TimeStampSchema,
} from './wire-decoding';

/** The decoder on its own: every shape of time, attachment and event a Chat Service may send. */

const at = Date.UTC(2023, 10, 14, 22, 13, 20);

describe('TimeStampSchema', () => {
  it.each([
    ['ISO 8601 in UTC', '2023-11-14T22:13:20.000Z', at],
    ['ISO 8601 with an offset', '2023-11-15T00:13:20+02:00', at],
    ['ISO 8601 without an offset, 7 decimals (read as UTC)', '2023-11-14T22:13:20.0000000', at],
    ['.NET with +0000', '/Date(1700000000000+0000)/', 1700000000000],
    ['.NET without an offset', '/Date(1700000000000)/', 1700000000000],
    ['.NET before 1970 with -0500 (the number is UTC)', '/Date(-86400000-0500)/', -86400000],
  ])('when the time is %s, then it becomes epoch milliseconds', (_shape, wire, expected) => {
    expect(TimeStampSchema.parse(wire)).toBe(expected);
  });

  it.each(['yesterday', '2023-11-14', '/Date(abc)/', ''])(
    'when the time is %p, then it is refused',
    (wire) => {
      expect(TimeStampSchema.safeParse(wire).success).toBe(false);
    },
  );
});

describe('AttachmentSchema', () => {
  it('when the attachment is base64, an array of bytes, null or absent, then it becomes bytes or null', () => {
    expect(AttachmentSchema.parse('aGk=')).toEqual(Buffer.from('hi'));
    expect(AttachmentSchema.parse([104, 105])).toEqual(Buffer.from('hi'));
    expect(AttachmentSchema.parse(null)).toBeNull();
    expect(AttachmentSchema.parse(undefined)).toBeNull();
  });

  it.each([['not base64!'], [[104, 256]], [[1.5]]])(
    'when the attachment is %p, then it is refused',
    (wire) => {
      expect(AttachmentSchema.safeParse(wire).success).toBe(false);
    },
  );
});

describe('GetEventsResponseSchema', () => {
  const typing = { EventType: 3, Data: { ChatID: 'c1', Name: 'Alice' } };

  it('when events lack Seq and carry extra fields, then they are read without them', () => {
    const wire = { Events: [{ ...typing, Extra: 1, Data: { ...typing.Data, Extra: 2 } }] };
    expect(GetEventsResponseSchema.parse(wire)).toEqual({ Events: [typing] });
  });

  it('when an event type is newer than this client, then that event is skipped', () => {
    const wire = {
      Events: [
        { EventType: 9, Data: {} },
        { ...typing, Seq: 2 },
      ],
    };
    expect(GetEventsResponseSchema.parse(wire)).toEqual({ Events: [{ ...typing, Seq: 2 }] });
  });

  it.each([
    ['a known event missing a field', { EventType: 0, Data: { ChatID: 'c1', Name: 'A' } }],
    [
      'a state out of range',
      {
        EventType: 4,
        Data: {
          ChatID: 'c1',
          State: 7,
          QueuePosition: 0,
          EstimatedWaitTime: 0,
          TerminationCause: 0,
        },
      },
    ],
    ['a Seq of zero', { ...typing, Seq: 0 }],
  ])('when the batch holds %s, then it is refused', (_what, event) => {
    expect(GetEventsResponseSchema.safeParse({ Events: [event] }).success).toBe(false);
  });
});

describe('GetEventsBatchResponseSchema', () => {
  const message = {
    EventType: 0,
    Data: {
      ChatID: 'c1',
      Name: 'Alice',
      Message: 'Hi',
      TimeStamp: '/Date(1700000000000+0000)/',
      Attachment: [104, 105],
    },
    Seq: 3,
  };

  it('when a chat has events, then they are read exactly as GetEvents reads them', () => {
    const events = [message, { EventType: 9, Data: {} }];
    const batch = GetEventsBatchResponseSchema.parse({ Chats: [{ ChatID: 'c1', Events: events }] });
    const single = GetEventsResponseSchema.parse({ Events: events });
    expect(batch).toEqual({ Chats: [{ ChatID: 'c1', Events: single.Events }] });
    expect(single.Events).toHaveLength(1);
  });

  it('when a chat has a fault, then its code and message are read (a null message as empty)', () => {
    const wire = {
      Chats: [
        { ChatID: 'c1', Fault: { Code: 'ChatTerminated', Message: null } },
        { ChatID: 'c2', Fault: { Code: 'UnknownChat', Message: 'No chat' }, Events: [] },
      ],
    };
    expect(GetEventsBatchResponseSchema.parse(wire)).toEqual({
      Chats: [
        { ChatID: 'c1', Fault: { Code: 'ChatTerminated', Message: '' } },
        { ChatID: 'c2', Fault: { Code: 'UnknownChat', Message: 'No chat' } },
      ],
    });
  });

  it('when an entry cannot be read, then it is a fault of its chat alone and the others keep their events', () => {
    const wire = {
      Chats: [{ ChatID: 'c1' }, { ChatID: 'c2', Events: [] }, { Events: [] }, 'junk'],
    };
    expect(GetEventsBatchResponseSchema.parse(wire)).toEqual({
      Chats: [
        { ChatID: 'c1', Fault: { Code: 'Unreadable', Message: expect.any(String) } },
        { ChatID: 'c2', Events: [] },
      ],
    });
  });

  it('when the answer has no list of chats, then it is refused whole', () => {
    expect(GetEventsBatchResponseSchema.safeParse({ Chats: 'c1' }).success).toBe(false);
    expect(GetEventsBatchResponseSchema.safeParse({}).success).toBe(false);
  });
});

describe('RequestChatResponseSchema', () => {
  it('when the group is closed and .NET leaves out ChatID, then ChatID is null', () => {
    const wire = { Message: 'Closed', SessionID: 0, QueuePosition: 0, EstimatedWaitTime: -1 };
    expect(RequestChatResponseSchema.parse(wire)).toEqual({ ...wire, ChatID: null });
  });
});
