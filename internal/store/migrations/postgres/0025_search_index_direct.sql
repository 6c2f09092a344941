-- Contact search: the trigram index takes each new entry at once instead of in its pending list
-- (GIN's fastupdate). Every search read the whole pending list, up to 4 MB, until a vacuum
-- merged it: just after a bulk load a phone-number search read 500 pages of it and took 5–10
-- times as long (docs/performance.md). Search entries change only when a contact's name,
-- username or phones do, so writing them into the index directly costs little. The list holding
-- entries so far is merged now.
ALTER INDEX contact_search_trgm SET (fastupdate = off);
SELECT gin_clean_pending_list('contact_search_trgm'::regclass);
