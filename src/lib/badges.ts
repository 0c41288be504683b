/**
 * Status badges: SVG rendered with badge-maker (the library behind shields.io) and shields.io
 * endpoint JSON (`img.shields.io/endpoint?url=…`). Badge text is ours (status words and catalog
 * names), never source text. badge-maker's SVG already carries `role="img"`, `aria-label` and a
 * `<title>`; colours here are darker than shields' defaults so white text keeps 4.5:1 contrast.
 */
import { makeBadge } from 'badge-maker';
import type { ComponentStatus } from '../domain/vocabulary.ts';

export type BadgeState = ComponentStatus | 'suspected';

const SVG_COLOURS: Record<BadgeState, string> = {
  operational: '#1a7f37',
  degraded_performance: '#9a6700',
  partial_outage: '#bc4c00',
  major_outage: '#cf222e',
  under_maintenance: '#0969da',
  unknown: '#57606a',
  suspected: '#8250df',
};

// shields.io named colours for the endpoint JSON (shields applies its own palette).
const SHIELDS_COLOURS: Record<BadgeState, string> = {
  operational: 'brightgreen',
  degraded_performance: 'yellow',
  partial_outage: 'orange',
  major_outage: 'red',
  under_maintenance: 'blue',
  unknown: 'lightgrey',
  suspected: 'blueviolet',
};

export interface BadgeContent {
  label: string;
  message: string;
  state: BadgeState;
}

/** The badge as SVG. */
export function renderBadgeSvg(badge: BadgeContent): string {
  return makeBadge({ label: badge.label, message: badge.message, color: SVG_COLOURS[badge.state], labelColor: '#444d56', style: 'flat' });
}

export interface ShieldsEndpoint {
  schemaVersion: 1;
  label: string;
  message: string;
  color: string;
  cacheSeconds: number;
}

/** The shields.io endpoint document (https://shields.io/badges/endpoint-badge). */
export function renderShieldsEndpoint(badge: BadgeContent): ShieldsEndpoint {
  return { schemaVersion: 1, label: badge.label, message: badge.message, color: SHIELDS_COLOURS[badge.state], cacheSeconds: 300 };
}
