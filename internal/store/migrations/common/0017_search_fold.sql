-- Contact search folds accents ("Fernández" is found by "fernandez"): the index is emptied here
-- and written again by the migration's Go step (refillContactSearch), in the same transaction.
DELETE FROM contact_search;
