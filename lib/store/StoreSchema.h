// StoreSchema: the database schema and its versioned migrations.
//
// The version is PRAGMA user_version. Each migration runs in its own transaction together with
// the version bump, so a failure (disk full, kill) leaves the previous version whole and the next
// start retries. A file newer than this build is refused before anything is written.
//
// v1: conversations and messages.
// v2: indexes for startup recovery (messages still streaming) and the full-text search index.
// v3: versions. messages.parent_id makes the messages a tree (a regenerated answer or an edited
//     question is a sibling of the earlier one, which stays); conversations.leaf_id is the last
//     message of the shown branch. Filled from the linear order of older files: each message's
//     parent is the one before it, the leaf is the last one.
// v4: folded text for search (SearchFolding: harakat, tatweel, hamza forms, case...).
//     messages.folded_content and conversations.folded_title hold the folded forms of content and
//     title, written by the store with them; the search index is rebuilt over folded_content. The
//     migration folds every row (0.3-0.5 s for a 20 MB history, docs/benchmarks.md). NULL means
//     "not folded yet" (a row written by something other than the store): foldMissing() folds
//     those at open, found through the partial index messages_unfolded.
//
// The search index is derived data: an FTS5 table with the trigram tokenizer, kept in step with
// messages by triggers. Trigram gives substring matching, which Arabic needs (a search for "قلم"
// must find "القلم" and "بالقلم": the article and prepositions are written attached to the word,
// so a word tokenizer would miss them) and which is what the LIKE fallback does too, so results
// do not depend on the SQLite build. Messages are indexed only once they stop streaming: the
// saver rewrites a streaming answer every second, and reindexing 100 KB each time is the one cost
// that would make those writes expensive.
#pragma once

#include <QSqlDatabase>
#include <QString>

#include <optional>

namespace qalam {

class StoreSchema
{
public:
    static constexpr int currentVersion = 4;

    // PRAGMA user_version, or nothing with the reason (e.g. "file is not a database").
    static std::optional<int> version(const QSqlDatabase &db, QString &error);

    // Whether this SQLite has FTS5 with the trigram tokenizer (3.34+). Probed with a table in the
    // connection's temp schema, so the database file is not touched.
    static bool supportsFullTextSearch(const QSqlDatabase &db);
    static bool hasSearchIndex(const QSqlDatabase &db);

    // Brings the schema from its version to currentVersion. With fullTextSearch, v2 creates the
    // search index; without it search falls back to LIKE until ensureSearchIndex() creates it.
    static bool migrate(const QSqlDatabase &db, bool fullTextSearch, QString &error);

    // Creates and fills the search index if it is missing (a database migrated by a SQLite
    // without FTS5, then opened by one with it).
    static bool ensureSearchIndex(const QSqlDatabase &db, QString &error);

    // Folds the rows whose folded columns are NULL (written behind the store's back), in one
    // transaction; nothing is written when there are none.
    static bool foldMissing(const QSqlDatabase &db, QString &error);
};

} // namespace qalam
