import { byId } from './dom.js';

/** sessionStorage key, used only when "keep for this tab" is ticked. */
const STORAGE_KEY = 'lbpoc-admin-token';

export interface AdminActions {
  /** From the snapshot: whether the balancer has ADMIN_TOKEN (else every control is off). */
  setWritesEnabled(enabled: boolean): void;
  drain(id: string, drain: boolean): Promise<void>;
  setWeight(id: string, weight: number): Promise<void>;
  setDefault(name: string): Promise<void>;
}

interface ErrorBody {
  readonly error?: string;
  readonly message?: string;
}

/**
 * The page's writes, through the admin API's own routes (admin-changes.ts) with
 * `Authorization: Bearer <token>`. The token lives in the password field (memory), and in
 * sessionStorage only when the operator asks; it never goes into a URL, a log or the
 * console. Every answer is shown plainly, a refused token as the 401 it is.
 */
export function createAdminActions(afterChange: () => void): AdminActions {
  const token = byId<HTMLInputElement>('token');
  const remember = byId<HTMLInputElement>('remember');
  const forget = byId<HTMLButtonElement>('forget');
  const writes = byId<HTMLSpanElement>('writes');
  const message = byId<HTMLParagraphElement>('message');
  let enabled = false;
  let pending = 0;

  const kept = readStorage();
  if (kept !== null) {
    token.value = kept;
    remember.checked = true;
  }
  const store = () => {
    if (remember.checked && token.value !== '') writeStorage(token.value);
    else removeStorage();
  };
  remember.addEventListener('change', store);
  token.addEventListener('input', () => {
    if (remember.checked) store();
  });
  forget.addEventListener('click', () => {
    token.value = '';
    remember.checked = false;
    removeStorage();
    show('ok', 'Token forgotten.');
  });

  function show(kind: 'ok' | 'error' | 'info', text: string): void {
    message.dataset.kind = kind;
    message.textContent = text;
  }

  function setBusy(busy: boolean): void {
    pending += busy ? 1 : -1;
    document.body.classList.toggle('busy', pending > 0);
  }

  async function write(method: string, path: string, body: unknown, describe: (answer: unknown) => string): Promise<void> {
    if (!enabled) {
      show('error', 'Writes are disabled: the balancer runs without ADMIN_TOKEN.');
      return;
    }
    if (token.value === '') {
      show('error', 'Type the admin token first.');
      token.focus();
      return;
    }
    setBusy(true);
    try {
      let response: Response;
      try {
        response = await fetch(path, {
          method,
          headers: { authorization: `Bearer ${token.value}`, 'content-type': 'application/json' },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          cache: 'no-store',
          credentials: 'omit',
        });
      } catch (error) {
        // A TypeError here names the problem (unreachable balancer, a character a header cannot carry), never the token.
        show('error', `Not sent: ${(error as Error).message}. Nothing was changed.`);
        return;
      }
      const answer = (await response.json().catch(() => null)) as unknown;
      const text = (answer as ErrorBody | null)?.message;
      if (response.ok) {
        show('ok', describe(answer));
        afterChange();
      } else if (response.status === 401) {
        show('error', '401 Unauthorized: the balancer refused this admin token. Nothing was changed.');
      } else if (response.status === 403) {
        show('error', `403 Forbidden: ${text ?? 'writes are disabled'}`);
      } else {
        show('error', `${response.status} ${response.statusText}: ${text ?? 'the change was refused'}`);
      }
    } finally {
      setBusy(false);
    }
  }

  const backendPath = (id: string, action: string) => `/backends/${encodeURIComponent(id)}/${action}`;

  return {
    setWritesEnabled(next) {
      enabled = next;
      token.disabled = !next;
      remember.disabled = !next;
      writes.textContent = next
        ? ''
        : 'Writes are disabled: the balancer runs without ADMIN_TOKEN, so drain, weight and default algorithm cannot be changed here.';
      for (const button of document.querySelectorAll<HTMLButtonElement | HTMLInputElement | HTMLSelectElement>('.write')) button.disabled = !next;
    },
    drain(id, drain) {
      return write('POST', backendPath(id, drain ? 'drain' : 'undrain'), undefined, () =>
        drain ? `Draining ${id}: no new requests; those in flight finish.` : `${id} is back in rotation.`,
      );
    },
    setWeight(id, weight) {
      return write('PUT', backendPath(id, 'weight'), { weight }, () => `Weight of ${id} set to ${weight}.`);
    },
    setDefault(name) {
      return write('PUT', '/algorithm', { default: name }, (answer) => {
        const previous = (answer as { previous?: string } | null)?.previous;
        return `Default algorithm is now ${name}${previous === undefined ? '' : ` (was ${previous})`}.`;
      });
    },
  };
}

// Storage can be off (privacy settings, sandboxed frames); the token then stays in memory only.
function readStorage(): string | null {
  try {
    return sessionStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

function writeStorage(value: string): void {
  try {
    sessionStorage.setItem(STORAGE_KEY, value);
  } catch {}
}

function removeStorage(): void {
  try {
    sessionStorage.removeItem(STORAGE_KEY);
  } catch {}
}
