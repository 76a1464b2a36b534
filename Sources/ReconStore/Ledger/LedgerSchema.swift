/// What both backends' schemas hold alike, for the checks that read them.
enum LedgerSchema {
    /// The append-only guards `check` expects (SQLite's v1 to v6, PostgreSQL's pg-v4 to pg-v6), by name.
    static let appendOnlyGuards = [
        "journal_append_only_update", "journal_append_only_delete",
        "results_append_only_update", "results_append_only_delete",
        "exception_actions_append_only_update", "exception_actions_append_only_delete",
        "return_files_append_only_update", "return_files_append_only_delete",
        "exceptions_append_only_update", "exceptions_append_only_delete",
        "debit_rows_fixed_update", "debit_rows_written_delete",
        "debit_dues_fixed_update", "debit_dues_written_delete",
        "files_written_update", "files_written_delete",
        "return_undos_append_only_update", "return_undos_append_only_delete",
        "transfers_append_only_update", "transfers_append_only_delete",
    ]
}
