// Readiness: poll GET / until it answers 200, the process dies, or time runs out.
import http from 'node:http';

function status(port) {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/', agent: false, timeout: 1000 }, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
  });
}

export async function waitForOk(port, proc, timeoutMs = 20000) {
  const deadline = Date.now() + timeoutMs;
  let last = 0;
  while (Date.now() < deadline) {
    if (proc.done) throw new Error(`exited before answering 200:\n${proc.output().trim()}`);
    last = await status(port);
    if (last === 200) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no 200 on port ${port} within ${timeoutMs} ms (last status ${last || 'no answer'})`);
}
