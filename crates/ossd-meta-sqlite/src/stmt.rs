//! Running cached statements with errors turned into [`MetaError`].

use crate::error::sql;
use ossd_meta::MetaError;
use rusqlite::{Connection, OptionalExtension, Params, Row};

/// Runs one cached statement, returning the number of rows changed.
pub(crate) fn exec(
    conn: &Connection,
    statement: &str,
    values: impl Params,
) -> Result<usize, MetaError> {
    let mut stmt = conn.prepare_cached(statement).map_err(sql)?;
    stmt.execute(values).map_err(sql)
}

/// Runs one cached query expected to return at most one row, mapped by `map`.
pub(crate) fn one<T>(
    conn: &Connection,
    statement: &str,
    values: impl Params,
    map: impl FnOnce(&Row<'_>) -> rusqlite::Result<T>,
) -> Result<Option<T>, MetaError> {
    let mut stmt = conn.prepare_cached(statement).map_err(sql)?;
    stmt.query_row(values, map).optional().map_err(sql)
}

/// Runs one cached query and maps every row with `map`.
pub(crate) fn all<T>(
    conn: &Connection,
    statement: &str,
    values: impl Params,
    map: impl FnMut(&Row<'_>) -> rusqlite::Result<T>,
) -> Result<Vec<T>, MetaError> {
    let mut stmt = conn.prepare_cached(statement).map_err(sql)?;
    let rows = stmt.query_map(values, map).map_err(sql)?;
    rows.collect::<rusqlite::Result<Vec<T>>>().map_err(sql)
}
