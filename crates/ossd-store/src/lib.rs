//! Object semantics over metadata and blob storage.
