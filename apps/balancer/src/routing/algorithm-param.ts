/**
 * Splits `?algo=<name>` off a request target. The parameter is consumed, not forwarded;
 * every other byte of the target is kept as the client sent it (order, encoding,
 * repeated keys), since backends may sign or cache on the exact query string.
 *
 * Returns `name: undefined` when there is no `algo` parameter; a repeated or empty `algo`
 * comes back as given (`''`, or the first value) for the caller to validate.
 */
export function takeAlgorithmParam(target: string): { name: string | undefined; target: string } {
  const queryStart = target.indexOf('?');
  if (queryStart < 0 || !target.includes('algo', queryStart)) return { name: undefined, target };
  const hashStart = target.indexOf('#', queryStart);
  const query = target.slice(queryStart + 1, hashStart < 0 ? undefined : hashStart);
  let name: string | undefined;
  const kept: string[] = [];
  for (const pair of query.split('&')) {
    const key = pair.split('=', 1)[0]!;
    if (key === 'algo') {
      name ??= decodeQueryValue(pair.slice(key.length + 1));
    } else {
      kept.push(pair);
    }
  }
  if (name === undefined) return { name: undefined, target };
  const path = target.slice(0, queryStart);
  return { name, target: kept.length > 0 ? `${path}?${kept.join('&')}` : path };
}

function decodeQueryValue(value: string): string {
  try {
    return decodeURIComponent(value.replaceAll('+', ' '));
  } catch {
    return value; // malformed percent-encoding: validated (and rejected) as the raw text
  }
}
