import type { Reply } from '../../server/customer-chat/session/visitor-events';

/**
 * Sends a file of the chat to CustomerChat over HTTP (not the socket), so the browser reports
 * progress as it goes. Never rejects: a network failure is an Internal error reply.
 */
export function uploadFile(
  origin: string,
  token: string,
  file: File,
  onProgress: (percent: number) => void,
): Promise<Reply<{ id: string }>> {
  return new Promise((resolve) => {
    const request = new XMLHttpRequest();
    const failed: Reply<{ id: string }> = {
      ok: false,
      error: { code: 'Internal', message: 'The upload did not reach CustomerChat.' },
    };
    request.open('POST', `${origin}/CustomerChat/Chat/Attachment`);
    request.setRequestHeader('X-Chat-Token', token);
    request.responseType = 'json';
    request.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(Math.floor((event.loaded / event.total) * 100));
    };
    request.onload = () => {
      const reply = request.response as Reply<{ id: string }> | null;
      resolve(reply !== null && typeof reply === 'object' && 'ok' in reply ? reply : failed);
    };
    request.onerror = () => resolve(failed);
    request.ontimeout = () => resolve(failed);
    const form = new FormData();
    form.append('file', file, file.name);
    request.send(form);
  });
}

export function attachmentUrl(origin: string, token: string, id: string): string {
  return `${origin}/CustomerChat/Chat/Attachment/${encodeURIComponent(id)}?token=${encodeURIComponent(token)}`;
}
