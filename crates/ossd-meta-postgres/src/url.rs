//! The `postgres://` URL of the metadata database: what `tokio-postgres` accepts
//! (`postgres://user[:password]@host[:port]/dbname[?param=value&…]`, host may be a socket
//! directory), plus `pool_size`, which this crate takes out of the query string.

use crate::error::PgError;
use std::str::FromStr;

/// Connections per node when the URL names no `pool_size`.
pub const DEFAULT_POOL_SIZE: usize = 16;

/// A parsed metadata database URL.
#[derive(Debug, Clone)]
pub struct PgUrl {
    /// The connection settings (without `pool_size`).
    pub config: tokio_postgres::Config,
    /// The most connections this node keeps open.
    pub pool_size: usize,
}

impl PgUrl {
    /// Parses `url`; `application_name` defaults to `ossd`.
    pub fn parse(url: &str) -> Result<Self, PgError> {
        let (base, query) = url.split_once('?').unwrap_or((url, ""));
        let mut pool_size = DEFAULT_POOL_SIZE;
        let mut rest = Vec::new();
        for param in query.split('&').filter(|p| !p.is_empty()) {
            match param.strip_prefix("pool_size=") {
                Some(n) => {
                    pool_size = n
                        .parse()
                        .ok()
                        .filter(|n| *n > 0)
                        .ok_or_else(|| PgError::PoolSize(n.to_owned()))?;
                }
                None => rest.push(param),
            }
        }
        let url = if rest.is_empty() {
            base.to_owned()
        } else {
            format!("{base}?{}", rest.join("&"))
        };
        let mut config = tokio_postgres::Config::from_str(&url).map_err(PgError::Url)?;
        if config.get_application_name().is_none() {
            config.application_name("ossd");
        }
        Ok(Self { config, pool_size })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pool_size_is_ours() -> Result<(), PgError> {
        let url =
            PgUrl::parse("postgres://ossd@db.example:5433/meta?pool_size=4&connect_timeout=3")?;
        assert_eq!(url.pool_size, 4);
        assert_eq!(url.config.get_dbname(), Some("meta"));
        assert_eq!(url.config.get_ports(), &[5433]);
        assert_eq!(url.config.get_application_name(), Some("ossd"));
        let plain = PgUrl::parse("postgres://ossd@localhost/meta")?;
        assert_eq!(plain.pool_size, DEFAULT_POOL_SIZE);
        assert!(PgUrl::parse("postgres://ossd@localhost/meta?pool_size=0").is_err());
        assert!(PgUrl::parse("postgres://ossd@localhost/meta?bogus=1").is_err());
        Ok(())
    }
}
