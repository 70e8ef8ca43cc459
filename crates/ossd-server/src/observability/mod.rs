//! What the server tells about the requests it served: the access log (`access`), Prometheus
//! metrics (`metrics`) and the audit trail (`audit`); `access_line` and `log_sink` write the access
//! lines of `ossd serve`.

pub(crate) mod access;
pub(crate) mod access_line;
pub(crate) mod audit;
pub(crate) mod log_sink;
pub(crate) mod metrics;
