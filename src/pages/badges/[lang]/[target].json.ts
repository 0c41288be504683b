/** shields.io endpoint JSON: /badges/<lang>/all.json and /badges/<lang>/<service>.json */
import type { APIRoute } from 'astro';
import { SERVICE_IDS } from '../../../domain/services.ts';
import { LANGUAGES, type Lang } from '../../../i18n/index.ts';
import { renderShieldsEndpoint } from '../../../lib/badges.ts';
import { badgeContentFor, jsonBody } from '../../../lib/outputs.ts';
import { getSiteModel } from '../../../lib/queries.ts';
import type { BadgeTarget } from '../../../lib/urls.ts';

export const getStaticPaths = () => LANGUAGES.flatMap((lang) => ['all', ...SERVICE_IDS].map((target) => ({ params: { lang, target } })));

export const GET: APIRoute = async ({ params }) =>
  new Response(jsonBody(renderShieldsEndpoint(badgeContentFor(await getSiteModel(), params.lang as Lang, params.target as BadgeTarget))), {
    headers: { 'Content-Type': 'application/json; charset=utf-8' },
  });
