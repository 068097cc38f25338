import { createProbe } from './probe-core';

/**
 * Preloaded into each server process (`node -r probe.js <entry>`): answers the bench's questions
 * over the IPC channel the bench opened. It adds no route and changes nothing in the server; when
 * the bench goes away, the server is stopped the way Ctrl+C stops it.
 */
interface ProbeRequest {
  id: number;
  command: 'sample' | 'reset-lag' | 'profile-start' | 'profile-stop' | 'heap-snapshot';
  gc?: boolean;
  file?: string;
}

if (typeof process.send === 'function') {
  const probe = createProbe();
  const reply = (id: number, body: object) => process.send?.({ id, ...body });
  process.on('message', (message: ProbeRequest) => {
    const run = async () => {
      switch (message.command) {
        case 'sample':
          return probe.sample(message.gc === true);
        case 'reset-lag':
          return probe.resetLag();
        case 'profile-start':
          return probe.startProfile();
        case 'profile-stop':
          return probe.stopProfile(message.file ?? 'profile.cpuprofile');
        case 'heap-snapshot':
          return probe.heapSnapshot(message.file ?? 'heap.heapsnapshot');
      }
    };
    run().then(
      (data) => reply(message.id, { ok: true, data: data ?? null }),
      (error: unknown) => reply(message.id, { ok: false, error: String(error) }),
    );
  });
  process.on('disconnect', () => {
    process.kill(process.pid, 'SIGTERM');
    setTimeout(() => process.exit(1), 10_000).unref();
  });
  // The channel alone never keeps a server alive.
  process.channel?.unref();
}
