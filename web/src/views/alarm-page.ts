/**
 * One alarm (#/alarms/{id}), the page every message links to: what, where, the
 * level and its history, acknowledge and clear, how far the escalation went,
 * and every message sent about it. Live from the stream: the alarm (alarms
 * topic) and each message's state (notifications topic, this alarm's only).
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { api, newestOnly, Stream } from '../api.js';
import { html } from '../html.js';
import { formatTime, t, texts } from '../i18n.js';
import { mayChange, useMe } from '../me.js';
import { IncidentTitle } from './incidents-common.js';
import { alarmReadingOf, typeLabel, useProfiles } from '../profiles.js';
import { Message } from './admin-common.js';
import { LevelChip, LevelHistory } from './alarm-levels.js';
import { DeliveryList, levelText } from './notify-common.js';
import type { EscalationView as Escalation } from '../../../src/modules/notifications/notifications.contract.js';
import type { AlarmPayload } from '../../../src/core/events.js';

const px = texts({
  title: ['Alarm', 'Alarm'],
  device: ['Perangkat', 'Device'],
  value: ['Nilai', 'Value'],
  started: ['Mulai', 'Started'],
  lastAt: ['Terakhir', 'Last'],
  acknowledgedBy: ['Ditangani oleh', 'Acknowledged by'],
  notAcknowledged: ['Belum ditangani', 'Not acknowledged'],
  cleared: ['Selesai', 'Cleared'],
  active: ['Masih aktif', 'Still active'],
  escalation: ['Eskalasi', 'Escalation'],
  noEscalation: ['Tidak ada eskalasi untuk alarm ini (tidak ada kebijakan atau OPD).', 'No escalation for this alarm (no policy or OPD).'],
  told: ['Tahap yang sudah dihubungi', 'Levels told'],
  nextDue: ['Tahap berikutnya', 'Next level due'],
  noneLeft: ['tidak ada lagi', 'none left'],
  back: ['← Pusat Komando', '← Command center'],
  incident: ['Kejadian', 'Incident'],
  asset: ['Aset dan grafiknya', 'The asset and its chart'],
  state_active: ['Berjalan', 'Running'],
  state_acknowledged: ['Berhenti: sudah ditangani', 'Stopped: acknowledged'],
  state_cleared: ['Berhenti: alarm selesai', 'Stopped: alarm cleared'],
  state_exhausted: ['Semua tahap sudah dihubungi', 'Every level has been told'],
});

/** An alarm as the API answers it: the platform's own wire type. */
type Alarm = AlarmPayload;

/** A person's name: admins and the person themself may read a user; others see who through the OPD's people list. */
async function personName(userId: string, opdId: string | null): Promise<string> {
  try {
    return (await api<{ name: string }>('GET', `/users/${userId}`)).name;
  } catch {
    const people = opdId ? await api<{ id: string; name: string }[]>('GET', `/opds/${opdId}/people`).catch(() => []) : [];
    return people.find((p) => p.id === userId)?.name ?? '—';
  }
}

export function AlarmPage({ id }: { id: string }) {
  const [alarm, setAlarm] = useState<Alarm | null>(null);
  const [escalation, setEscalation] = useState<Escalation | null | undefined>(undefined);
  const [deviceName, setDeviceName] = useState<string | null>(null);
  const [deviceType, setDeviceType] = useState<string | null>(null);
  useProfiles();
  const [ackName, setAckName] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  /** bumped when the alarm changes, so the messages are read again at once */
  const [version, setVersion] = useState(0);
  /** the incidents this alarm opened (the rule's action): one event, one place */
  const [incidents, setIncidents] = useState<{ id: string; ticket: string; title: string }[]>([]);

  // Read again on every message about the alarm: the newest read's answer is the one shown.
  const loadEscalation = useMemo(() => newestOnly(() => api<Escalation | null>('GET', `/notifications/escalations/alarm/${id}`), setEscalation, () => setEscalation(null)), [id]);
  const loadAlarm = useMemo(() => newestOnly(() => api<Alarm>('GET', `/alarms/${id}`), setAlarm, (e) => setError(e.message)), [id]);
  useEffect(() => {
    void loadAlarm();
    api<{ items: { id: string; ticket: string; title: string }[] }>('GET', `/incidents?alarmId=${encodeURIComponent(id)}&limit=5`).then((page) => setIncidents(page.items), () => setIncidents([]));
    void loadEscalation();
    const stream = new Stream();
    stream.subscribe('alarm', 'alarms');
    stream.subscribe('messages', 'notifications', { alarmId: id });
    // Acknowledged or cleared elsewhere before the subscription, or while the connection was down: read it again.
    stream.catchUp('alarm', loadAlarm);
    stream.catchUp('messages', () => loadEscalation().then(() => setVersion((v) => v + 1)));
    stream.on((msg) => {
      if (msg.type === 'notification') {
        void loadEscalation();
        setVersion((v) => v + 1);
        return;
      }
      if (msg.type !== 'alarm' || msg.alarm?.id !== id) return;
      setAlarm((before) => ({ ...(before ?? {}), ...msg.alarm }));
      void loadEscalation();
      setVersion((v) => v + 1);
    });
    stream.connect();
    // A safety net for a dropped connection: the stream tells every message as it goes.
    const timer = setInterval(loadEscalation, 60_000);
    return () => {
      stream.close();
      clearInterval(timer);
    };
  }, [id]);
  useEffect(() => {
    if (alarm?.deviceId) api<{ name: string; type: string }>('GET', `/devices/${alarm.deviceId}`).then(
        (d) => {
          setDeviceName(d.name);
          setDeviceType(d.type);
        },
        () => setDeviceName(null),
      );
  }, [alarm?.deviceId]);
  useEffect(() => {
    if (alarm?.acknowledgedBy) void personName(alarm.acknowledgedBy, alarm.opdId).then(setAckName);
  }, [alarm?.acknowledgedBy]);

  const me = useMe();
  const act = async (what: 'ack' | 'clear') => {
    setBusy(true);
    try {
      setAlarm({ ...alarm!, ...(await api<Alarm>('POST', `/alarms/${id}/${what}`, {})) });
      setError(null);
      void loadEscalation();
      setVersion((v) => v + 1);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  if (!alarm) return html`<div class="admin"><a href="#/">${px('back')}</a><${Message} error=${error} />${!error && html`<p class="muted">${t('loading')}</p>`}</div>`;
  const reading = alarmReadingOf(deviceType, alarm);
  return html`
    <div class="admin alarm-page" data-alarm=${alarm.id}>
      <a href="#/">${px('back')}</a>
      <section class=${`card alarm sev-${alarm.severity}`}>
        <h1 class="card-title row wrap"><${LevelChip} severity=${alarm.severity} /> ${alarm.type === 'device_offline' ? t('offline') : alarm.type}</h1>
        <dl class="facts">
          <div><dt>${px('device')}</dt><dd>${deviceName ?? '—'}${deviceType ? html` <span class="muted small">(${typeLabel(deviceType)})</span>` : ''}</dd></div>
          <div><dt>${px('value')}</dt><dd data-testid="alarm-value">${reading}</dd></div>
          <div><dt>${px('started')}</dt><dd>${formatTime(alarm.startedAt)}</dd></div>
          <div><dt>${px('lastAt')}</dt><dd>${formatTime(alarm.lastAt)}</dd></div>
          <div><dt>${t('acknowledged')}</dt><dd data-testid="alarm-acked">${alarm.acknowledged ? `✓ ${ackName ?? '…'} · ${formatTime(alarm.acknowledgedAt)}` : px('notAcknowledged')}</dd></div>
          <div><dt>${t('status')}</dt><dd data-testid="alarm-status">${alarm.status === 'cleared' ? `${px('cleared')} · ${formatTime(alarm.clearedAt)}` : px('active')}</dd></div>
        </dl>
        ${alarm.status === 'active' &&
        mayChange(me, alarm.opdId) &&
        html`<div class="row">
          ${!alarm.acknowledged && html`<button disabled=${busy} onClick=${() => act('ack')}>${t('acknowledge')}</button>`}
          <button class="ghost" disabled=${busy} onClick=${() => act('clear')}>${t('clear')}</button>
        </div>`}
        <ul class="links" data-testid="alarm-links">
          ${incidents.map((i) => html`<li><a href=${`#/incidents/${encodeURIComponent(i.id)}`} data-testid="incident-link">${px('incident')} ${i.ticket}: <${IncidentTitle} inc=${i} /> →</a></li>`)}
          ${alarm.assetId && html`<li><a href=${`#/?asset=${encodeURIComponent(alarm.assetId)}${alarm.deviceId ? `&chart=${encodeURIComponent(alarm.deviceId)}` : ''}`} data-testid="asset-link">${px('asset')} →</a></li>`}
        </ul>
        <${Message} error=${error} />
        <${LevelHistory} alarmId=${alarm.id} severity=${alarm.severity} valueKey=${alarm.key} deviceType=${deviceType} />
      </section>
      <section class="card" data-testid="escalation" data-state=${escalation?.state ?? 'none'}>
        <h2 class="card-title">${px('escalation')}</h2>
        ${escalation === null && html`<p class="muted">${px('noEscalation')}</p>`}
        ${escalation &&
        html`<dl class="facts">
          <div><dt>${t('status')}</dt><dd data-testid="escalation-state">${px(`state_${escalation.state}`)}</dd></div>
          <div><dt>${px('told')}</dt><dd>${escalation.level === 0 ? '—' : levelText(escalation.level - 1)}</dd></div>
          <div><dt>${px('nextDue')}</dt><dd>${escalation.state === 'active' && escalation.nextAt !== null ? `${levelText(escalation.level)} · ${formatTime(escalation.nextAt)}` : px('noneLeft')}</dd></div>
        </dl>`}
      </section>
      <${DeliveryList} query=${`alarmId=${encodeURIComponent(id)}`} version=${version} pollMs=${60_000} />
    </div>
  `;
}
