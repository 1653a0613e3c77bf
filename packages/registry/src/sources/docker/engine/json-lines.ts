/**
 * Reads a stream of newline-separated JSON values (Docker's `GET /events`), calling
 * `onValue` for each and `onEnd` once when the stream ends, fails or closes. A line that
 * is not JSON is skipped: one garbled event must not stop discovery.
 */
export function readJsonLines(stream: NodeJS.ReadableStream, onValue: (value: unknown) => void, onEnd: (error: Error) => void): void {
  let buffer = '';
  let ended = false;
  const end = (error: Error) => {
    if (ended) return;
    ended = true;
    onEnd(error);
  };
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    buffer += chunk;
    let newline = buffer.indexOf('\n');
    while (newline >= 0) {
      const line = buffer.slice(0, newline).trim();
      buffer = buffer.slice(newline + 1);
      if (line !== '') {
        let value: unknown;
        try {
          value = JSON.parse(line);
        } catch {
          value = undefined;
        }
        if (value !== undefined) onValue(value);
      }
      newline = buffer.indexOf('\n');
    }
  });
  stream.on('error', (error: Error) => end(error));
  stream.on('end', () => end(new Error('the event stream ended')));
  stream.on('close', () => end(new Error('the event stream closed')));
}
