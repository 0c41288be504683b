/** Per-service Atom 1.0 feed: /<lang>/services/<id>/history.atom */
import type { APIRoute } from 'astro';
import { SERVICE_IDS, type ServiceId } from '../../../../domain/services.ts';
import { LANGUAGES, type Lang } from '../../../../i18n/index.ts';
import { renderFeed } from '../../../../lib/outputs.ts';
import { getSiteModel } from '../../../../lib/queries.ts';

export const getStaticPaths = () => LANGUAGES.flatMap((lang) => SERVICE_IDS.map((id) => ({ params: { lang, id } })));

export const GET: APIRoute = async ({ params }) =>
  new Response(renderFeed(await getSiteModel(), params.lang as Lang, params.id as ServiceId, 'atom'), {
    headers: { 'Content-Type': 'application/atom+xml; charset=utf-8' },
  });
