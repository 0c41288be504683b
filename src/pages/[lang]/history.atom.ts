/** Site-wide Atom 1.0 feed per language: /<lang>/history.atom */
import type { APIRoute } from 'astro';
import { LANGUAGES, type Lang } from '../../i18n/index.ts';
import { renderFeed } from '../../lib/outputs.ts';
import { getSiteModel } from '../../lib/queries.ts';

export const getStaticPaths = () => LANGUAGES.map((lang) => ({ params: { lang } }));

export const GET: APIRoute = async ({ params }) =>
  new Response(renderFeed(await getSiteModel(), params.lang as Lang, null, 'atom'), {
    headers: { 'Content-Type': 'application/atom+xml; charset=utf-8' },
  });
