/**
 * Fault matrix, official sources (status.cloud.microsoft posts and RSS, Azure status RSS, Microsoft
 * Graph) × every fault a source can throw, each inside a real cycle among healthy sources
 * (see test/support/fault-world.ts for the world and the assertions).
 */
import * as vitest from 'vitest';
import { defineFaultMatrix } from '../support/fault-world.ts';

defineFaultMatrix(['scm-posts', 'scm-feed', 'azure-rss', 'graph'], vitest);
