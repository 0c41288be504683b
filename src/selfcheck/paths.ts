/** URLs of the self-check pages (trailing-slash style of the site). */
import type { Lang } from '../domain/vocabulary.ts';

export const checkPaths = {
  check: (lang: Lang, query: { q?: string; code?: string } = {}) => {
    const params = new URLSearchParams();
    if (query.q) params.set('q', query.q);
    if (query.code) params.set('code', query.code);
    const qs = params.toString();
    return `/${lang}/check/${qs ? `?${qs}` : ''}`;
  },
  record: (lang: Lang, token: string) => `/${lang}/check/record/?r=${encodeURIComponent(token)}`,
  codes: (lang: Lang) => `/${lang}/codes/`,
  code: (lang: Lang, id: string) => `/${lang}/codes/${id}/`,
};
