-- Contact search: trigram FTS5 over a case-folded copy of name, username and phone digits.
-- detail='none' keeps the index small; it is queried with LIKE, which the trigram tokenizer serves.
CREATE VIRTUAL TABLE contact_search USING fts5(
    contact_id UNINDEXED,
    workspace_id UNINDEXED,
    body,
    tokenize = 'trigram',
    detail = 'none'
);
