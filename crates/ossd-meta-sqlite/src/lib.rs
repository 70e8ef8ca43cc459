//! SQLite metadata backend with one writer thread and group commit.
