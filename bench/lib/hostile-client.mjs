/* global Blob, FormData, fetch, performance, setInterval, clearInterval */
// The hostile scenario's attacker, in a process of its own so that its buffers and its CPU are
// not the bench driver's (whose timings of the well-behaved visitor and agent are the figures):
//
//   node hostile-client.mjs upload <customerChatUrl> <chatToken> <count> <bytes>
//     posts <count> uploads of <bytes> bytes at once into one chat, prints their HTTP statuses as
//     JSON (0: the connection closed before an answer);
//   node hostile-client.mjs guess <chatServiceUrl> <agentId> <localAddress> <parallel>
//     guesses the agent's password from <localAddress>, <parallel> log-ins at a time without
//     pause, until SIGTERM; then prints {"statuses": {status: count}, "seconds": s}.
import { Agent, request } from 'undici';

const [mode, url, ...rest] = process.argv.slice(2);

async function upload(token, count, bytes) {
  const body = new Blob([new Uint8Array(bytes).fill(0x41)]);
  const statuses = await Promise.all(
    Array.from({ length: count }, async (_unused, index) => {
      const form = new FormData();
      form.append('file', body, `flood-${index}.txt`);
      try {
        const response = await fetch(`${url}/CustomerChat/Chat/Attachment`, {
          method: 'POST',
          headers: { 'X-Chat-Token': token },
          body: form,
        });
        await response.arrayBuffer();
        return response.status;
      } catch {
        return 0;
      }
    }),
  );
  process.stdout.write(JSON.stringify(statuses));
}

async function guess(agentId, localAddress, parallel) {
  const dispatcher = new Agent({ localAddress });
  const statuses = {};
  const started = performance.now();
  let guessing = true;
  let attempt = 0;
  const lane = async () => {
    while (guessing) {
      attempt += 1;
      let status = 0;
      try {
        const response = await request(`${url}/AgentService/Login`, {
          method: 'POST',
          dispatcher,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ AgentID: agentId, Password: `guess-${attempt}` }),
        });
        await response.body.text();
        status = response.statusCode;
      } catch {
        status = 0;
      }
      statuses[status] = (statuses[status] ?? 0) + 1;
    }
  };
  const lanes = Array.from({ length: parallel }, lane);
  process.once('SIGTERM', () => {
    guessing = false;
  });
  // The parent reads "guessing" on stderr once the first answer came, so no log-in it times runs
  // before the attack has begun.
  const first = setInterval(() => {
    if (Object.keys(statuses).length > 0) {
      clearInterval(first);
      process.stderr.write('guessing\n');
    }
  }, 10);
  await Promise.all(lanes);
  clearInterval(first);
  const seconds = Math.round((performance.now() - started) / 10) / 100;
  process.stdout.write(JSON.stringify({ statuses, seconds }));
  await dispatcher.close();
}

if (mode === 'upload') await upload(rest[0], Number(rest[1]), Number(rest[2]));
else if (mode === 'guess') await guess(rest[0], rest[1], Number(rest[2]));
else {
  process.stderr.write(`unknown mode ${mode}\n`);
  process.exit(2);
}
