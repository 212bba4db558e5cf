/** The pure constants of identity's contract (identity.contract.ts re-exports them): roles and positions. No import, so the web app bundles them alone. */

export const ROLES = ['admin', 'operator', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

/**
 * A user's position (jabatan), from the bottom up: what escalation targets
 * name ("the Kabid of this OPD", "the Sekda"). `kepala` is the head of an OPD
 * (Kepala Dinas, Kalaksa BPBD, Kepala Badan).
 */
export const POSITIONS = ['staf', 'kasi', 'kabid', 'sekretaris', 'kepala', 'sekda', 'bupati'] as const;
export type Position = (typeof POSITIONS)[number];
/** The names shown for each position: [Bahasa Indonesia, English]. */
export const POSITION_NAMES: Record<Position, [string, string]> = {
  staf: ['Staf', 'Staff'],
  kasi: ['Kepala Seksi (Kasi)', 'Section head'],
  kabid: ['Kepala Bidang (Kabid)', 'Division head'],
  sekretaris: ['Sekretaris', 'Secretary'],
  kepala: ['Kepala Dinas / Kalaksa', 'Head of agency'],
  sekda: ['Sekretaris Daerah (Sekda)', 'Regional secretary'],
  bupati: ['Bupati', 'Regent'],
};

/**
 * The map layers that make a base map (land, boundaries, water, roads): what the public maps and the
 * incident page draw under their own markers, so that a resident finds their place with no tiles from
 * the internet. Other layers (hotspots, an OPD's own) stay on the command center.
 */
export const BASE_LAYER_KEYS = ['regency', 'kecamatan', 'rivers', 'tributaries', 'roads'] as const;
