/** Pengelolaan → Pengguna: create, edit (name, role, OPD, position), disable or enable, reset the password, delete. */
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from '../api.js';
import { html } from '../html.js';
import { formatTime, getLang, t, texts } from '../i18n.js';
import { CopyButton, Message, useForm, useList } from './admin-common.js';
import { dx, positionName, POSITIONS } from './duty-common.js';
import type { PublicUser } from '../../../src/modules/identity/identity.contract.ts';

export const ux = texts({
  passwordOptional: ['Kata sandi (kosongkan: dibuat otomatis)', 'Password (leave empty: generated)'],
  passwordRules: [
    'Minimal 8 karakter, tanpa aturan huruf/angka/simbol; kata sandi yang mudah ditebak (kata umum, nama, email sendiri, "musirawas", "cerdas") ditolak. Beberapa kata acak lebih kuat daripada satu kata dengan angka.',
    'At least 8 characters, no letter/digit/symbol rules; easy-to-guess passwords (common words, names, one\'s own email, "musirawas", "cerdas") are refused. A few random words beat one word with digits.',
  ],
  state: ['Status', 'State'],
  active: ['Aktif', 'Active'],
  disabled: ['Nonaktif', 'Disabled'],
  edit: ['Ubah', 'Edit'],
  save: ['Simpan', 'Save'],
  cancel: ['Batal', 'Cancel'],
  disable: ['Nonaktifkan', 'Disable'],
  enable: ['Aktifkan', 'Enable'],
  resetPassword: ['Atur ulang kata sandi', 'Reset password'],
  resetFor: ['Atur ulang kata sandi untuk', 'Reset the password of'],
  newPassword: ['Kata sandi baru (kosongkan: dibuat otomatis)', 'New password (leave empty: generated)'],
  reset: ['Atur ulang', 'Reset'],
  passwordOnce: ['Kata sandi ini hanya ditampilkan sekali: sampaikan kepada pemiliknya sekarang.', 'This password is shown only once: pass it on to its owner now.'],
  sessionsEnded: ['Semua sesi pengguna ini telah diakhiri.', "All of this user's sessions have ended."],
  passwordSet: ['Kata sandi diganti; semua sesi pengguna ini telah diakhiri.', "Password changed; all of this user's sessions have ended."],
  confirmDisable: ['Nonaktifkan pengguna ini? Semua sesinya langsung berakhir.', 'Disable this user? All their sessions end at once.'],
  confirmDeleteUser: ['Hapus pengguna ini? Tindakan ini tidak dapat dibatalkan.', 'Delete this user? This cannot be undone.'],
  you: ['(Anda)', '(you)'],
  never: ['belum pernah', 'never'],
});

/** A user as GET /users lists them: the server's own type. */
type User = PublicUser;

/** The API's message in the reader's language when it gives one (a weak password's reason), else its text. */
export function errorText(err: unknown): string {
  const details = err instanceof ApiError ? (err.body as { error?: { details?: { reason?: { id?: string; en?: string } } } } | undefined)?.error?.details : undefined;
  const reason = details?.reason?.[getLang()];
  if (reason) return `${getLang() === 'id' ? 'Kata sandi terlalu lemah' : 'Password too weak'}: ${reason}`;
  return (err as Error).message;
}

const roleName = (role: string) => (role === 'admin' ? t('admins') : role === 'operator' ? t('operator') : t('viewer'));

export function Users() {
  const [users, reload] = useList<User>('/users');
  const [opds] = useList<{ id: string; code: string }>('/opds', false);
  const [me, setMe] = useState<string | null>(null);
  // Users are kept by admins (the API refuses others): no form for anyone else.
  const [admin, setAdmin] = useState(false);
  useEffect(() => {
    api<{ id: string; role: string }>('GET', '/auth/me').then(
      (m) => {
        setMe(m.id);
        setAdmin(m.role === 'admin');
      },
      () => setMe(''),
    );
  }, []);
  const form = useForm({ email: '', name: '', password: '', role: 'viewer', opdId: '', position: '' });
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [secret, setSecret] = useState<{ email: string; password: string } | null>(null);
  const [editing, setEditing] = useState<{ id: string; name: string; role: string; opdId: string; position: string } | null>(null);
  const [resetting, setResetting] = useState<{ id: string; email: string; password: string } | null>(null);

  const run = async (work: () => Promise<void>) => {
    try {
      setNotice(null);
      await work();
      setError(null);
      reload();
    } catch (err) {
      setError(errorText(err));
    }
  };
  const submit = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      const { password, ...rest } = form.values;
      const created = await api<User & { generatedPassword?: string }>('POST', '/users', { ...rest, ...(password && { password }), opdId: rest.opdId || null, position: rest.position || null });
      setSecret(created.generatedPassword ? { email: created.email, password: created.generatedPassword } : null);
      form.reset();
    });
  };
  const save = (e: Event) => {
    e.preventDefault();
    if (!editing) return;
    void run(async () => {
      await api('PATCH', `/users/${editing.id}`, { name: editing.name, role: editing.role, opdId: editing.opdId || null, position: editing.position || null });
      setEditing(null);
    });
  };
  const resetPassword = (e: Event) => {
    e.preventDefault();
    if (!resetting) return;
    void run(async () => {
      const res = await api<{ user: User; generatedPassword?: string }>('POST', `/users/${resetting.id}/password`, resetting.password ? { password: resetting.password } : {});
      setSecret(res.generatedPassword ? { email: res.user.email, password: res.generatedPassword } : null);
      setNotice(res.generatedPassword ? ux('sessionsEnded') : ux('passwordSet'));
      setResetting(null);
    });
  };
  const opdCode = (id: string | null) => opds?.find((o) => o.id === id)?.code ?? '—';
  const select = (name: string, value: string, onChange: (v: string) => void, options: [string, string][], label: string) =>
    html`<label>${label}<select name=${name} value=${value} onChange=${(e: Event) => onChange((e.target as HTMLSelectElement).value)}>
      ${options.map(([v, text]) => html`<option value=${v}>${text}</option>`)}
    </select></label>`;
  const roleOptions: [string, string][] = [['admin', t('admins')], ['operator', t('operator')], ['viewer', t('viewer')]];
  const opdOptions: [string, string][] = [['', '—'], ...(opds ?? []).map((o): [string, string] => [o.id, o.code])];
  const positionOptions: [string, string][] = [['', '—'], ...POSITIONS.map((p): [string, string] => [p, positionName(p)])];

  return html`
    <section class="card" data-testid="users">
      <form class="inline" hidden=${!admin} onSubmit=${submit} aria-label=${t('create')}>
        ${form.field('email', t('email'), { type: 'email', required: true })} ${form.field('name', t('name'), { required: true })}
        ${form.field('password', ux('passwordOptional'), { type: 'password', minLength: 8, maxLength: 200, autocomplete: 'new-password' })}
        ${select('role', form.values.role, (v) => form.setValues({ ...form.values, role: v }), roleOptions, t('role'))}
        ${select('opdId', form.values.opdId, (v) => form.setValues({ ...form.values, opdId: v }), opdOptions, t('opd'))}
        ${select('position', form.values.position, (v) => form.setValues({ ...form.values, position: v }), positionOptions, dx('position'))}
        <button type="submit">${t('create')}</button>
      </form>
      <p class="muted small">${ux('passwordRules')}</p>
      <${Message} error=${error} />${notice && html`<p class="ok" role="status">${notice}</p>`}
      ${secret &&
      html`<div class="token" role="dialog" aria-label=${ux('passwordOnce')}>
        <p><strong>${secret.email}</strong></p>
        <p class="once">${ux('passwordOnce')}</p>
        <div class="row wrap secret-row"><code data-testid="generated-password">${secret.password}</code><${CopyButton} text=${secret.password} /></div>
        <button class="ghost" onClick=${() => setSecret(null)}>${t('close')}</button>
      </div>`}
      ${resetting &&
      html`<form class="inline token" onSubmit=${resetPassword} aria-label=${ux('resetPassword')}>
        <p>${ux('resetFor')} <strong>${resetting.email}</strong></p>
        <label>${ux('newPassword')}<input name="newPassword" type="password" minLength="8" maxLength="200" autocomplete="new-password" value=${resetting.password}
          onInput=${(e: Event) => setResetting({ ...resetting, password: (e.target as HTMLInputElement).value })} /></label>
        <button type="submit">${ux('reset')}</button><button type="button" class="ghost" onClick=${() => setResetting(null)}>${ux('cancel')}</button>
      </form>`}
      <table>
        <thead><tr><th>${t('email')}</th><th>${t('name')}</th><th>${t('role')}</th><th>${t('opd')}</th><th>${dx('position')}</th><th>${ux('state')}</th><th>${t('lastActivity')}</th><th></th></tr></thead>
        <tbody>${(users ?? []).map((u) =>
          editing?.id === u.id
            ? html`<tr data-user=${u.email} class="editing"><td>${u.email}</td>
                <td colspan="6"><form class="inline" onSubmit=${save} aria-label=${ux('edit')}>
                  <label>${t('name')}<input name="name" required maxLength="200" value=${editing.name} onInput=${(e: Event) => setEditing({ ...editing, name: (e.target as HTMLInputElement).value })} /></label>
                  ${select('role', editing.role, (v) => setEditing({ ...editing, role: v }), roleOptions, t('role'))}
                  ${select('opdId', editing.opdId, (v) => setEditing({ ...editing, opdId: v }), opdOptions, t('opd'))}
                  ${select('position', editing.position, (v) => setEditing({ ...editing, position: v }), positionOptions, dx('position'))}
                  <button type="submit">${ux('save')}</button><button type="button" class="ghost" onClick=${() => setEditing(null)}>${ux('cancel')}</button>
                </form></td><td></td></tr>`
            : html`<tr data-user=${u.email} class=${u.disabled ? 'muted' : ''}>
                <td>${u.email} ${u.id === me ? html`<span class="muted small">${ux('you')}</span>` : null}</td><td>${u.name}</td><td>${roleName(u.role)}</td><td>${opdCode(u.opdId)}</td>
                <td>${u.position ? positionName(u.position) : '—'}</td>
                <td>${u.disabled ? ux('disabled') : ux('active')}</td><td>${u.lastLoginAt === null ? ux('never') : formatTime(u.lastLoginAt)}</td>
                <td class="row">
                  <button class="ghost" onClick=${() => setEditing({ id: u.id, name: u.name, role: u.role, opdId: u.opdId ?? '', position: u.position ?? '' })}>${ux('edit')}</button>
                  <button class="ghost" onClick=${() => setResetting({ id: u.id, email: u.email, password: '' })}>${ux('resetPassword')}</button>
                  ${u.id !== me &&
                  (u.disabled
                    ? html`<button class="ghost" onClick=${() => run(() => api('PATCH', `/users/${u.id}`, { disabled: false }))}>${ux('enable')}</button>`
                    : html`<button class="ghost" onClick=${() => confirm(ux('confirmDisable')) && run(() => api('PATCH', `/users/${u.id}`, { disabled: true }))}>${ux('disable')}</button>`)}
                  ${u.id !== me && html`<button class="ghost danger" onClick=${() => confirm(ux('confirmDeleteUser')) && run(() => api('DELETE', `/users/${u.id}`))}>${t('delete')}</button>`}
                </td>
              </tr>`,
        )}</tbody>
      </table>
    </section>
  `;
}
