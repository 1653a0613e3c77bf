// @ts-check
/**
 * Answers that carry other containers' environment are held whole, parsed, stripped of
 * every `Env` (allowlist.mjs redactEnv) and only then sent: JSON.parse is the one parser
 * whose reading of the engine's JSON is beyond doubt, which a streaming redactor would
 * have to earn. The price is memory, so it is bounded: all answers held at once together
 * stay within `MAX_REDACTED_BYTES` (config.mjs says why 2 MiB). One answer over it is
 * refused with 502, never passed unredacted; an answer that would fit alone but not next
 * to the others being held gets 503, and the client retries.
 */
import { redactEnv } from './allowlist.mjs';
import { refuse } from './refuse.mjs';

/** The bytes held for redaction across every request in flight. */
export class RedactionBudget {
  /** @param {number} limit */
  constructor(limit) {
    this.limit = limit;
    this.held = 0;
  }

  /** @param {number} bytes @returns {boolean} false when they do not fit */
  take(bytes) {
    if (this.held + bytes > this.limit) return false;
    this.held += bytes;
    return true;
  }

  /** @param {number} bytes */
  release(bytes) {
    this.held -= bytes;
  }
}

/**
 * Collects the engine's answer, then sends it redacted (status and headers kept, length
 * recomputed). Every byte taken from the budget is given back exactly once, however the
 * answer ends.
 * @param {import('node:http').IncomingMessage} answer the engine's
 * @param {import('node:http').ServerResponse} res the client's
 * @param {Record<string, string | string[]>} headers the answer's headers to pass on
 * @param {RedactionBudget} budget
 */
export function sendRedacted(answer, res, headers, budget) {
  /** @type {Buffer[]} */
  let chunks = [];
  let held = 0;
  let settled = false;
  const settle = () => {
    if (settled) return false;
    settled = true;
    budget.release(held);
    held = 0;
    chunks = [];
    return true;
  };
  /** @param {number} status @param {string} message */
  const reject = (status, message) => {
    if (!settle()) return;
    answer.destroy();
    refuse(res, status, message);
  };

  answer.on('data', (/** @type {Buffer} */ chunk) => {
    if (settled) return;
    if (held + chunk.length > budget.limit) {
      reject(502, `the engine's answer is over ${budget.limit} bytes (MAX_REDACTED_BYTES); refused rather than passed with its environment`);
    } else if (!budget.take(chunk.length)) {
      reject(503, `${budget.held} bytes of other answers are being redacted; the bound is ${budget.limit} (MAX_REDACTED_BYTES): try again`);
    } else {
      held += chunk.length;
      chunks.push(chunk);
    }
  });
  answer.on('end', () => {
    if (settled) return;
    const text = Buffer.concat(chunks, held).toString('utf8');
    let body = '';
    if (text !== '') {
      try {
        body = JSON.stringify(redactEnv(JSON.parse(text)));
      } catch {
        reject(502, 'the engine answered something that is not JSON where JSON was expected; refused rather than passed unredacted');
        return;
      }
    }
    res.writeHead(answer.statusCode ?? 502, { ...headers, 'content-length': Buffer.byteLength(body) });
    res.end(body);
    settle();
  });
  // Cut short (the engine went away, the client left): nothing is sent, the bytes go back.
  answer.on('close', settle);
}
