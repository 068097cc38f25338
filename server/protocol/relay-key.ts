/**
 * The header with which CustomerChat proves itself to the Chat Service: only a caller that shows
 * the Chat Service's RelayKey may send notices to agents (SendMessage with System: true).
 */
export const relayKeyHeader = 'x-relay-key';
