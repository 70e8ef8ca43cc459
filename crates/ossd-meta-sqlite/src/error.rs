//! Turning SQLite and encoding failures into [`MetaError::Backend`].

use ossd_meta::MetaError;
use rusqlite::types::Type;

/// A SQLite error as a backend error.
pub(crate) fn sql(e: rusqlite::Error) -> MetaError {
    MetaError::Backend(format!("sqlite: {e}"))
}

/// A failure to decode column `col` (a stored value this build cannot read), as a SQLite error.
pub(crate) fn bad_column<E>(col: usize, e: E) -> rusqlite::Error
where
    E: std::error::Error + Send + Sync + 'static,
{
    rusqlite::Error::FromSqlConversionFailure(col, Type::Text, Box::new(e))
}
