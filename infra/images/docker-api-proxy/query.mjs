// @ts-check
/**
 * The query string the engine gets: parsed and re-encoded by the proxy, never passed as
 * received. Parsers disagree on odd spellings (a parameter given twice: first or last?
 * `;` as a separator? a broken `%` escape?); once re-encoded, the engine reads exactly the
 * values the proxy judged. A parameter given twice is refused rather than guessed at.
 */
import { mergeEventFilters } from './event-filter.mjs';

/** What `GET /events` takes here; anything else is refused, not dropped. */
const EVENT_PARAMETERS = Object.freeze(['since', 'until', 'filters']);

/**
 * @param {import('./allowlist.mjs').AllowedRequest} allowed
 * @returns {{ ok: true, path: string } | { ok: false, status: number, reason: string }}
 */
export function upstreamPath(allowed) {
  const params = new URLSearchParams(allowed.query);
  const seen = new Set();
  for (const name of params.keys()) {
    if (seen.has(name)) return { ok: false, status: 400, reason: `query parameter ${JSON.stringify(name)} is given more than once` };
    seen.add(name);
  }
  if (allowed.events) {
    const unknown = [...seen].find((name) => !EVENT_PARAMETERS.includes(name));
    if (unknown !== undefined) {
      return {
        ok: false,
        status: 400,
        reason: `query parameter ${JSON.stringify(unknown)} is not accepted on /events (allowed: ${EVENT_PARAMETERS.join(', ')})`,
      };
    }
    const merged = mergeEventFilters(params.get('filters'));
    if (!merged.ok) return merged;
    params.set('filters', merged.filters);
  }
  const query = params.toString();
  return { ok: true, path: query === '' ? allowed.target : `${allowed.target}?${query}` };
}
