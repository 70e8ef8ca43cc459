//! Metadata storage traits, records, the listing algorithm, an in-memory backend and a conformance suite.
