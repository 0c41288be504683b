/**
 * Fault matrix, press and community sources (news feed, Mastodon hashtag feed) × every fault a
 * source can throw, each inside a real cycle among healthy sources (see test/support/fault-world.ts).
 */
import * as vitest from 'vitest';
import { defineFaultMatrix } from '../support/fault-world.ts';

defineFaultMatrix(['news-feed', 'mastodon'], vitest);
