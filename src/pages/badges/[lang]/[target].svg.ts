/** SVG status badges: /badges/<lang>/all.svg and /badges/<lang>/<service>.svg */
import type { APIRoute } from 'astro';
import { SERVICE_IDS } from '../../../domain/services.ts';
import { LANGUAGES, type Lang } from '../../../i18n/index.ts';
import { renderBadgeSvg } from '../../../lib/badges.ts';
import { badgeContentFor } from '../../../lib/outputs.ts';
import { getSiteModel } from '../../../lib/queries.ts';
import type { BadgeTarget } from '../../../lib/urls.ts';

export const getStaticPaths = () => LANGUAGES.flatMap((lang) => ['all', ...SERVICE_IDS].map((target) => ({ params: { lang, target } })));

export const GET: APIRoute = async ({ params }) =>
  new Response(renderBadgeSvg(badgeContentFor(await getSiteModel(), params.lang as Lang, params.target as BadgeTarget)), {
    headers: { 'Content-Type': 'image/svg+xml; charset=utf-8' },
  });
