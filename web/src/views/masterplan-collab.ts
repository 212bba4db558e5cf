/** Collaboration of the OPDs: FGD sessions, comments and the review flow of a program, council and team, commitment sheets, activity log. */
import { todayIn } from '../format.js';
import { useEffect, useState } from 'preact/hooks';
import { all, api, download, upload } from '../api.js';
import { DateField } from '../date-field.js';
import { html } from '../html.js';
import { getLang, texts } from '../i18n.js';
import { POSITION_NAMES, POSITIONS, type Position } from '../../../src/modules/identity/identity.constants.ts';
import type { Activity, Comment, Commitment, Member, Session } from '../../../src/modules/masterplan/collaboration/collaboration.contract.js';
import './masterplan-screens.css';
import { day, errorText, Message, tx, useApi, useMe, useOpds, useStanding, when } from './masterplan-common.js';

const cx = texts({
  sessions: ['Sesi FGD / bimtek', 'FGD / bimtek sessions'],
  round: ['Putaran', 'Round'],
  title: ['Judul', 'Title'],
  place: ['Tempat', 'Place'],
  participants: ['Peserta', 'Participants'],
  participantsHint: ['satu per baris: nama — OPD', 'one per line: name — OPD'],
  notes: ['Notulen', 'Notes'],
  decisions: ['Keputusan', 'Decisions'],
  decisionsHint: ['satu per baris', 'one per line'],
  addSession: ['Catat sesi', 'Record a session'],
  noSessions: ['Belum ada sesi.', 'No sessions yet.'],
  comments: ['Komentar', 'Comments'],
  writeComment: ['Tulis komentar', 'Write a comment'],
  send: ['Kirim', 'Send'],
  noComments: ['Belum ada komentar.', 'No comments yet.'],
  submit: ['Ajukan untuk ditelaah', 'Submit for review'],
  approve: ['Setujui', 'Approve'],
  returnIt: ['Kembalikan', 'Return'],
  returnReason: ['Alasan pengembalian', 'Reason for returning'],
  reviewFlow: ['Alur telaah: OPD → Diskominfo/Bappeda → disetujui', 'Review flow: OPD → Diskominfo/Bappeda → approved'],
  members: ['Dewan Smart City dan Tim Pelaksana', 'Smart City Council and Implementation Team'],
  council: ['Dewan Smart City', 'Smart City Council'],
  team: ['Tim Pelaksana', 'Implementation Team'],
  user: ['Pengguna', 'User'],
  memberRole: ['Peran dalam rencana induk', 'Role in the master plan'],
  addMember: ['Tambah anggota', 'Add a member'],
  noMembers: ['Belum ada anggota.', 'No members yet.'],
  commitments: ['Lembar komitmen', 'Commitment sheets'],
  signer: ['Penanda tangan', 'Signer'],
  position: ['Jabatan', 'Position'],
  signedAt: ['Tanggal tanda tangan', 'Signed on'],
  bupati: ['Bupati (tanpa OPD)', 'Bupati (no OPD)'],
  addCommitment: ['Catat komitmen', 'Record a commitment'],
  scan: ['Pindaian', 'Scan'],
  uploadScan: ['Unggah pindaian', 'Upload the scan'],
  activity: ['Log aktivitas', 'Activity log'],
  who: ['Siapa', 'Who'],
  system: ['Sistem', 'System'],
  what: ['Apa', 'What'],
  when: ['Kapan', 'When'],
  myStanding: ['Peran Anda', 'Your standing'],
  reviewer: ['Penelaah', 'Reviewer'],
  notReviewer: ['Anggota OPD', 'OPD member'],
});

const lines = (s: string) => s.split('\n').map((x) => x.trim()).filter(Boolean);

/** Comments and review actions of one program (shown in the program list). */
export function ProgramReview({ program, editable, onChanged }: { program: { id: string; reviewStatus: string }; editable: boolean; onChanged: () => void }) {
  const standing = useStanding();
  const me = useMe();
  const comments = useApi<Comment[]>(`/masterplan/comments?programId=${encodeURIComponent(program.id)}`);
  const [body, setBody] = useState('');
  const [reason, setReason] = useState('');
  const [msg, setMsg] = useState<{ error?: string | null; ok?: string | null }>({});
  const act = async (what: 'submit' | 'approve' | 'return') => {
    try {
      await api('POST', `/masterplan/programs/${encodeURIComponent(program.id)}/${what}`, what === 'return' ? { reason } : {});
      setReason('');
      setMsg({ ok: tx('saved') });
      onChanged();
    } catch (err) {
      setMsg({ error: errorText(err) });
    }
  };
  const send = async (e: Event) => {
    e.preventDefault();
    try {
      await api('POST', '/masterplan/comments', { programId: program.id, body });
      setBody('');
      comments.reload();
    } catch (err) {
      setMsg({ error: errorText(err) });
    }
  };
  const reviewer = !!standing?.reviewer;
  const s = program.reviewStatus;
  return html`
    <div class="mp-review">
      <p class="small muted">${cx('reviewFlow')}</p>
      <div class="row wrap">
        ${editable && (s === 'draft' || s === 'returned') && html`<button onClick=${() => act('submit')} data-testid="review-submit">${cx('submit')}</button>`}
        ${reviewer && s === 'submitted' && html`<button onClick=${() => act('approve')} data-testid="review-approve">${cx('approve')}</button>`}
        ${reviewer &&
        (s === 'submitted' || s === 'approved') &&
        html`<input aria-label=${cx('returnReason')} placeholder=${cx('returnReason')} value=${reason} onInput=${(e: Event) => setReason((e.target as HTMLInputElement).value)} />
          <button class="ghost danger" disabled=${!reason.trim()} onClick=${() => act('return')}>${cx('returnIt')}</button>`}
      </div>
      <${Message} ...${msg} />
      <h4>${cx('comments')}</h4>
      <${Message} error=${comments.error} />
      ${comments.data?.length === 0 && html`<p class="small muted">${cx('noComments')}</p>`}
      <ul class="mp-comments">${(comments.data ?? []).map((c) => html`<li><strong>${c.authorName}</strong> <span class="small muted">${when(c.createdAt)}</span><p>${c.body}</p></li>`)}</ul>
      ${me && html`<form class="row" onSubmit=${send}><input class="grow" aria-label=${cx('writeComment')} placeholder=${cx('writeComment')} required maxLength="5000" value=${body} onInput=${(e: Event) => setBody((e.target as HTMLInputElement).value)} /><button type="submit">${cx('send')}</button></form>`}
    </div>
  `;
}

export function Collaboration() {
  const standing = useStanding();
  return html`
    <section class="mp-collab" data-testid="mp-collab">
      ${standing && html`<p class="small muted">${cx('myStanding')}: ${standing.reviewer ? cx('reviewer') : cx('notReviewer')}${standing.member ? ` · ${cx(standing.member)}` : ''}${standing.opdCode ? ` · ${standing.opdCode}` : ''}</p>`}
      <div class="mp-grid">
        <${Sessions} reviewer=${!!standing?.reviewer} />
        <${Members} />
        <${Commitments} reviewer=${!!standing?.reviewer} />
        <${ActivityLog} />
      </div>
    </section>
  `;
}

function Sessions({ reviewer }: { reviewer: boolean }) {
  const list = useApi<Session[]>('/masterplan/sessions');
  const empty = { round: '1', date: todayIn(), title: '', place: '', participants: '', notes: '', decisions: '' };
  const [v, setV] = useState(empty);
  const [msg, setMsg] = useState<{ error?: string | null; ok?: string | null }>({});
  const set = (k: keyof typeof empty) => (e: Event) => setV({ ...v, [k]: (e.target as HTMLInputElement).value });
  const submit = async (e: Event) => {
    e.preventDefault();
    try {
      await api('POST', '/masterplan/sessions', {
        round: Number(v.round),
        date: new Date(`${v.date}T09:00:00+07:00`).getTime(),
        title: v.title,
        place: v.place,
        participants: lines(v.participants).map((l) => {
          const [name, opd] = l.split(/\s+[—-]\s+/);
          return { name: name!.trim(), opd: (opd ?? '').trim() };
        }),
        notes: v.notes,
        decisions: lines(v.decisions),
      });
      setV(empty);
      setMsg({ ok: tx('saved') });
      list.reload();
    } catch (err) {
      setMsg({ error: errorText(err) });
    }
  };
  const sessions = [...(list.data ?? [])].sort((a, b) => a.round - b.round || a.date - b.date);
  return html`
    <div class="card">
      <h2>${cx('sessions')}</h2>
      <${Message} error=${list.error} />
      ${list.data?.length === 0 && html`<p class="muted">${cx('noSessions')}</p>`}
      ${sessions.map(
        (s) => html`<details class="mp-session">
          <summary><span class="chip">${cx('round')} ${s.round}</span> <strong>${s.title}</strong> <span class="small muted">${day(s.date)}${s.place ? ` · ${s.place}` : ''} · ${s.participants.length} ${cx('participants').toLowerCase()}</span></summary>
          ${s.notes && html`<p class="pre">${s.notes}</p>`}
          ${s.decisions.length > 0 && html`<h4>${cx('decisions')}</h4><ol>${s.decisions.map((d) => html`<li>${d}</li>`)}</ol>`}
          ${s.participants.length > 0 && html`<h4>${cx('participants')}</h4><ul class="small">${s.participants.map((p) => html`<li>${p.name}${p.opd ? ` — ${p.opd}` : ''}</li>`)}</ul>`}
        </details>`,
      )}
      ${reviewer &&
      html`<form class="mp-form" onSubmit=${submit}>
        <h3>${cx('addSession')}</h3>
        <div class="row wrap">
          <label>${cx('round')}<select name="sessionRound" value=${v.round} onChange=${set('round')}>${[1, 2, 3, 4].map((r) => html`<option value=${r}>${r}</option>`)}</select></label>
          <${DateField} label=${tx('date')} name="sessionDate" required value=${v.date} onInput=${set('date')} />
          <label class="grow">${cx('title')}<input name="sessionTitle" required value=${v.title} onInput=${set('title')} /></label>
          <label>${cx('place')}<input value=${v.place} onInput=${set('place')} /></label>
        </div>
        <label>${cx('participants')} <span class="small">(${cx('participantsHint')})</span><textarea name="sessionParticipants" rows="3" value=${v.participants} onInput=${set('participants')}></textarea></label>
        <label>${cx('notes')}<textarea rows="3" value=${v.notes} onInput=${set('notes')}></textarea></label>
        <label>${cx('decisions')} <span class="small">(${cx('decisionsHint')})</span><textarea name="sessionDecisions" rows="2" value=${v.decisions} onInput=${set('decisions')}></textarea></label>
        <${Message} ...${msg} />
        <div><button type="submit">${cx('addSession')}</button></div>
      </form>`}
    </div>
  `;
}

function Members() {
  const me = useMe();
  const opds = useOpds();
  const list = useApi<Member[]>('/masterplan/members');
  const [users, setUsers] = useState<{ id: string; name: string; email: string }[]>([]);
  const [pick, setPick] = useState({ userId: '', role: 'team' });
  const [msg, setMsg] = useState<{ error?: string | null; ok?: string | null }>({});
  const admin = me?.role === 'admin';
  useEffect(() => {
    if (admin) all<{ id: string; name: string; email: string }>('/users').then(setUsers).catch(() => setUsers([]));
  }, [admin]);
  const put = async (members: { userId: string; role: string }[]) => {
    try {
      await api('PUT', '/masterplan/members', { members });
      setMsg({ ok: tx('saved') });
      list.reload();
    } catch (err) {
      setMsg({ error: errorText(err) });
    }
  };
  const current = (list.data ?? []).map((m) => ({ userId: m.userId, role: m.role }));
  const opdCode = (id: string | null) => opds?.find((o) => o.id === id)?.code ?? null;
  // As an SK lists them: the Bupati first, then the Sekda, the heads of agencies, … (a position not given comes last).
  const rank = (m: Member) => -(POSITIONS as readonly string[]).indexOf(m.position ?? '');
  const positionName = (m: Member) => (m.position && m.position in POSITION_NAMES ? POSITION_NAMES[m.position as Position][getLang() === 'en' ? 1 : 0] : null);
  return html`
    <div class="card" data-testid="mp-members">
      <h2>${cx('members')}</h2>
      <${Message} error=${list.error} />
      ${list.data?.length === 0 && html`<p class="muted">${cx('noMembers')}</p>`}
      ${(['council', 'team'] as const).map(
        (role) => html`<h3>${cx(role)}</h3>
          <ul class="mp-members">
            ${(list.data ?? [])
              .filter((m) => m.role === role)
              .sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name, 'id'))
              .map((m) => html`<li data-testid="mp-member"><span><span class="mp-member-fn">${m.name}</span> <span class="small muted">${[positionName(m), opdCode(m.opdId)].filter(Boolean).join(' · ') || m.email}</span></span>${admin && html`<button class="ghost danger small" onClick=${() => put(current.filter((x) => x.userId !== m.userId))}>${tx('remove')}</button>`}</li>`)}
          </ul>`,
      )}
      ${admin &&
      html`<form class="inline" onSubmit=${(e: Event) => {
        e.preventDefault();
        if (pick.userId) put([...current.filter((x) => x.userId !== pick.userId), pick]);
      }}>
        <label>${cx('user')}<select value=${pick.userId} onChange=${(e: Event) => setPick({ ...pick, userId: (e.target as HTMLSelectElement).value })}><option value="">—</option>${users.map((u) => html`<option value=${u.id}>${u.name} (${u.email})</option>`)}</select></label>
        <label>${cx('memberRole')}<select value=${pick.role} onChange=${(e: Event) => setPick({ ...pick, role: (e.target as HTMLSelectElement).value })}><option value="council">${cx('council')}</option><option value="team">${cx('team')}</option></select></label>
        <button type="submit">${cx('addMember')}</button>
      </form>`}
      <${Message} ...${msg} />
    </div>
  `;
}

function Commitments({ reviewer }: { reviewer: boolean }) {
  const opds = useOpds();
  const list = useApi<Commitment[]>('/masterplan/commitments');
  const empty = { signerName: '', position: '', opdId: '', signedAt: todayIn(), note: '' };
  const [v, setV] = useState(empty);
  const [msg, setMsg] = useState<{ error?: string | null; ok?: string | null }>({});
  const set = (k: keyof typeof empty) => (e: Event) => setV({ ...v, [k]: (e.target as HTMLInputElement).value });
  const submit = async (e: Event) => {
    e.preventDefault();
    try {
      await api('POST', '/masterplan/commitments', { signerName: v.signerName, position: v.position, opdId: v.opdId || null, signedAt: new Date(`${v.signedAt}T09:00:00+07:00`).getTime(), note: v.note });
      setV(empty);
      setMsg({ ok: tx('saved') });
      list.reload();
    } catch (err) {
      setMsg({ error: errorText(err) });
    }
  };
  const attach = async (id: string, e: Event) => {
    const file = (e.target as HTMLInputElement).files?.[0];
    if (!file) return;
    try {
      await upload(`/masterplan/commitments/${encodeURIComponent(id)}/file`, { file }, file.name);
      list.reload();
    } catch (err) {
      setMsg({ error: errorText(err) });
    }
  };
  return html`
    <div class="card">
      <h2>${cx('commitments')}</h2>
      <${Message} error=${list.error} />
      <div class="mp-table-wrap" data-testid="mp-commitments">
        <table>
          <thead><tr><th>${cx('signer')}</th><th>${cx('position')}</th><th>${tx('opd')}</th><th>${cx('signedAt')}</th><th>${cx('scan')}</th></tr></thead>
          <tbody>
            ${(list.data ?? []).map(
              (c) => html`<tr>
                <td data-label=${cx('signer')}>${c.signerName}${c.note && html`<div class="small muted">${c.note}</div>`}</td><td data-label=${cx('position')}>${c.position}</td><td data-label=${tx('opd')}>${c.opdCode ?? 'Bupati'}</td><td data-label=${cx('signedAt')}>${day(c.signedAt)}</td>
                <td data-label=${cx('scan')}>${c.file ? html`<button class="ghost small" onClick=${() => download(`/masterplan/commitments/${encodeURIComponent(c.id)}/file`, `komitmen-${c.id}`).catch((err) => setMsg({ error: errorText(err) }))}>${cx('scan')}</button>` : reviewer ? html`<label class="mp-upload">${cx('uploadScan')}<input type="file" accept=".pdf,.jpg,.jpeg,.png" onChange=${(e: Event) => attach(c.id, e)} /></label>` : '—'}</td>
              </tr>`,
            )}
          </tbody>
        </table>
      </div>
      ${reviewer &&
      html`<form class="mp-form" onSubmit=${submit}>
        <h3>${cx('addCommitment')}</h3>
        <div class="row wrap">
          <label>${cx('signer')}<input required value=${v.signerName} onInput=${set('signerName')} /></label>
          <label>${cx('position')}<input required value=${v.position} onInput=${set('position')} /></label>
          <label>${tx('opd')}<select value=${v.opdId} onChange=${set('opdId')}><option value="">${cx('bupati')}</option>${(opds ?? []).map((o) => html`<option value=${o.id}>${o.code}</option>`)}</select></label>
          <${DateField} label=${cx('signedAt')} name="signedAt" required value=${v.signedAt} onInput=${set('signedAt')} />
        </div>
        <label>${tx('note')}<input value=${v.note} onInput=${set('note')} /></label>
        <${Message} ...${msg} />
        <div><button type="submit">${cx('addCommitment')}</button></div>
      </form>`}
    </div>
  `;
}

function ActivityLog() {
  const log = useApi<{ items: Activity[]; nextCursor: string | null }>('/masterplan/activity?limit=50');
  return html`
    <div class="card">
      <div class="row"><h2>${cx('activity')}</h2><span class="spacer"></span><button class="ghost small" onClick=${log.reload}>↻</button></div>
      <${Message} error=${log.error} />
      <div class="mp-table-wrap mp-activity" data-testid="mp-activity">
        <table>
          <thead><tr><th>${cx('when')}</th><th>${cx('who')}</th><th>${cx('what')}</th></tr></thead>
          <tbody>${(log.data?.items ?? []).map((a) => html`<tr><td class="nowrap small">${when(a.at)}</td><td>${a.userName ?? (a.userId === null ? cx('system') : '—')}</td><td>${a.summary}</td></tr>`)}</tbody>
        </table>
      </div>
    </div>
  `;
}
