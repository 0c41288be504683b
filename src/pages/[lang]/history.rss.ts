/** Site-wide RSS 2.0 feed per language: /<lang>/history.rss */
import type { APIRoute } from 'astro';
import { LANGUAGES, type Lang } from '../../i18n/index.ts';
import { renderFeed } from '../../lib/outputs.ts';
import { getSiteModel } from '../../lib/queries.ts';

export const getStaticPaths = () => LANGUAGES.map((lang) => ({ params: { lang } }));

export const GET: APIRoute = async ({ params }) =>
  new Response(renderFeed(await getSiteModel(), params.lang as Lang, null, 'rss'), {
    headers: { 'Content-Type': 'application/rss+xml; charset=utf-8' },
  });
