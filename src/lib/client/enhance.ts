/** Optional enhancements; the site works fully without them. */
export {};
