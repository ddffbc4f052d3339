-- Full-text search over message bodies (GET /v1/search/messages).
--
-- Language-neutral on purpose: members write in any language, and one conversation mixes several, so there is no
-- stemming and no stop words (the `simple` parser and dictionary: lower-cased words as written). Accents are folded
-- by the `unaccent` dictionary in front of `simple`, so "café" finds "cafe" and "cafe" finds "café" ("Straße" and
-- "strasse" too). Only the token types that can hold a non-ASCII letter go through unaccent: an ASCII word has
-- nothing to fold. unaccent ships with PostgreSQL's contrib (the embedded zonky binaries carry it) and is a trusted
-- extension since PostgreSQL 13, so the schema owner may create it without being a superuser.
CREATE EXTENSION IF NOT EXISTS unaccent;

CREATE TEXT SEARCH CONFIGURATION kchat_search (COPY = simple);
ALTER TEXT SEARCH CONFIGURATION kchat_search
    ALTER MAPPING FOR word, hword, hword_part, numword, numhword, hword_numpart WITH unaccent, simple;

-- A stored generated column rather than a trigger: PostgreSQL recomputes it in the statement (so the transaction)
-- that inserts a message or updates its body (an edit; a delete empties the body, which empties the vector), with no
-- function of ours to keep in step and no writer that could forget it; the delivery-service's INSERTs and UPDATEs
-- need not know it exists. to_tsvector(regconfig, text) is IMMUTABLE, as a generated column requires: the
-- configuration is fixed here by its oid, so no search_path can change what a row's vector means.
-- A body is plain text, not HTML, but the default parser reads "<" followed by a letter up to the next ">" as a tag
-- and indexes none of it ("if a<b and c>d" would lose "b", "and" and "c"): a space after every "<" keeps it from
-- starting one (both are blanks to the parser, so words and their positions are those of the body).
-- Adding the column rewrites the table once, under an exclusive lock, and fills it for every existing row (the
-- backfill); an encrypted message's body is '' and gets an empty vector, which matches nothing.
ALTER TABLE messages ADD COLUMN body_search tsvector
    GENERATED ALWAYS AS (to_tsvector('kchat_search'::regconfig, replace(body, '<', '< '))) STORED;

CREATE INDEX messages_body_search ON messages USING gin (body_search);
