import { useState } from 'preact/hooks';
import { api, session } from '../api.js';
import { html } from '../html.js';
import { getLang, setLang, t } from '../i18n.js';

export function LoginView() {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const res = await api<{ token: string }>('POST', '/auth/login', { email, password });
      session.set(res.token);
      location.hash = '#/';
      location.reload();
    } catch (err) {
      setError((err as { status?: number }).status === 429 ? (err as Error).message : t('loginFailed'));
    } finally {
      setBusy(false);
    }
  };
  return html`
    <div class="login">
      <form class="card" onSubmit=${submit}>
        <h1>${t('appName')}</h1>
        <p class="muted">${t('commandCenter')}</p>
        <label>${t('email')}<input name="email" type="email" autocomplete="username" required value=${email} onInput=${(e: Event) => setEmail((e.target as HTMLInputElement).value)} /></label>
        <label>${t('password')}<input name="password" type="password" autocomplete="current-password" required value=${password} onInput=${(e: Event) => setPassword((e.target as HTMLInputElement).value)} /></label>
        ${error && html`<p class="error" role="alert">${error}</p>`}
        <button type="submit" disabled=${busy}>${t('login')}</button>
        <button type="button" class="ghost" onClick=${() => setLang(getLang() === 'id' ? 'en' : 'id')}>${getLang() === 'id' ? 'English' : 'Bahasa Indonesia'}</button>
      </form>
    </div>
  `;
}
