//! What the server tells about the requests it served: the access log (`access`), Prometheus
//! metrics (`metrics`) and the audit trail (`audit`).

pub(crate) mod access;
pub(crate) mod audit;
pub(crate) mod metrics;
