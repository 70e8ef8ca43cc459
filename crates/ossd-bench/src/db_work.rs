//! Database work per request: the server's `ossd_meta_db_roundtrips_total{op}` and
//! `ossd_meta_db_seconds_total{op}` (reported by the PostgreSQL backend, docs/operations.md,
//! "Metrics") scraped from `/-/metrics` on every node before and after a phase, the difference
//! divided by the requests of the phase.

use std::collections::BTreeMap;

use bytes::Bytes;
use http::Method;

use crate::body::RepeatBody;
use crate::client::{Target, drain};
use crate::sign::Dialect;

/// The round-trip counter (one series per metadata operation).
const ROUND_TRIPS: &str = "ossd_meta_db_roundtrips_total";
/// The time counter, seconds.
const SECONDS: &str = "ossd_meta_db_seconds_total";

/// Counter values of one scrape (summed over the nodes): operation → (round trips, seconds).
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Counters(BTreeMap<String, (f64, f64)>);

/// One metadata operation's share of a request.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub(crate) struct OpWork {
    /// The `MetaStore` operation (`get_object`, `put_object`, ...).
    pub op: String,
    /// Statements sent per request.
    pub round_trips: f64,
    /// Milliseconds waiting for the database per request.
    pub ms: f64,
}

/// The database work of an average request of a phase.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub(crate) struct DbWork {
    /// Statements sent per request, all operations.
    pub round_trips: f64,
    /// Milliseconds waiting for the database per request, all operations.
    pub ms: f64,
    /// The same per operation, largest time first.
    pub ops: Vec<OpWork>,
}

impl DbWork {
    /// `2.0 rt, 0.41 ms (get_object 1.0 rt 0.22 ms; get_bucket 1.0 rt 0.19 ms)`.
    pub(crate) fn text(&self) -> String {
        let ops: Vec<String> = self
            .ops
            .iter()
            .map(|o| format!("{} {:.2} rt {:.3} ms", o.op, o.round_trips, o.ms))
            .collect();
        format!(
            "{:.2} round trips, {:.3} ms in the database ({})",
            self.round_trips,
            self.ms,
            ops.join("; ")
        )
    }
}

/// Scrapes every node of `target` (OSS-signed with its key: the root AccessKey); `None` when a
/// node does not answer with the metrics (not ossd, not root) or reports no database work.
pub(crate) async fn scrape(target: &Target) -> Option<Counters> {
    let mut total = Counters::default();
    for node in 0..target.nodes() {
        let metrics = target
            .for_worker(node)
            .with_dialect(Dialect::Oss)
            .with_bucket("-");
        let response = metrics
            .send(Method::GET, Some("metrics"), &[], RepeatBody::empty())
            .await
            .ok()?;
        let mut body = Vec::new();
        drain(response.into_body(), |chunk: &Bytes| {
            body.extend_from_slice(chunk);
        })
        .await
        .ok()?;
        total.add(&parse(&String::from_utf8_lossy(&body)));
    }
    (!total.0.is_empty()).then_some(total)
}

/// The two counters' series in a Prometheus text exposition.
pub(crate) fn parse(text: &str) -> Counters {
    let mut counters = Counters::default();
    for line in text.lines() {
        let Some((series, value)) = line.rsplit_once(' ') else {
            continue;
        };
        let Ok(value) = value.parse::<f64>() else {
            continue;
        };
        let (name, op) = match series.split_once('{') {
            Some((name, labels)) => (name, label(labels, "op")),
            None => (series, None),
        };
        let Some(op) = op else { continue };
        let entry = counters.0.entry(op.to_owned()).or_default();
        match name {
            ROUND_TRIPS => entry.0 += value,
            SECONDS => entry.1 += value,
            _ => {}
        }
    }
    counters
        .0
        .retain(|_, (trips, secs)| *trips > 0.0 || *secs > 0.0);
    counters
}

/// The value of label `name` in `a="x",b="y"}`.
fn label<'a>(labels: &'a str, name: &str) -> Option<&'a str> {
    labels
        .trim_end_matches('}')
        .split(',')
        .filter_map(|pair| pair.split_once('='))
        .find(|(k, _)| k.trim() == name)
        .map(|(_, v)| v.trim().trim_matches('"'))
}

impl Counters {
    /// Adds another node's counters.
    fn add(&mut self, other: &Counters) {
        for (op, (trips, secs)) in &other.0 {
            let entry = self.0.entry(op.clone()).or_default();
            entry.0 += trips;
            entry.1 += secs;
        }
    }

    /// The work between `self` (before) and `after`, per one of `requests` requests; `None`
    /// without requests or without any work.
    pub(crate) fn per_request(&self, after: &Counters, requests: u64) -> Option<DbWork> {
        if requests == 0 {
            return None;
        }
        let n = requests as f64;
        let mut ops: Vec<OpWork> = after
            .0
            .iter()
            .map(|(op, &(trips, secs))| {
                let (trips0, secs0) = self.0.get(op).copied().unwrap_or_default();
                OpWork {
                    op: op.clone(),
                    round_trips: (trips - trips0).max(0.0) / n,
                    ms: (secs - secs0).max(0.0) * 1000.0 / n,
                }
            })
            .filter(|o| o.round_trips > 0.0)
            .collect();
        if ops.is_empty() {
            return None;
        }
        ops.sort_by(|a, b| b.ms.total_cmp(&a.ms));
        Some(DbWork {
            round_trips: ops.iter().map(|o| o.round_trips).sum(),
            ms: ops.iter().map(|o| o.ms).sum(),
            ops,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BEFORE: &str = "\
# HELP ossd_meta_db_roundtrips Statements sent
# TYPE ossd_meta_db_roundtrips counter
ossd_meta_db_roundtrips_total{op=\"get_bucket\"} 10
ossd_meta_db_roundtrips_total{op=\"get_object\"} 10
ossd_meta_db_seconds_total{op=\"get_bucket\"} 0.001
ossd_meta_db_seconds_total{op=\"get_object\"} 0.002
ossd_requests_total{operation=\"GetObject\",status=\"200\"} 10
";

    const AFTER: &str = "\
ossd_meta_db_roundtrips_total{op=\"get_bucket\"} 110
ossd_meta_db_roundtrips_total{op=\"get_object\"} 110
ossd_meta_db_roundtrips_total{op=\"iam_get\"} 1
ossd_meta_db_seconds_total{op=\"get_bucket\"} 0.021
ossd_meta_db_seconds_total{op=\"get_object\"} 0.032
ossd_meta_db_seconds_total{op=\"iam_get\"} 0.0005
";

    #[test]
    fn parses_only_the_database_series() {
        let c = parse(BEFORE);
        assert_eq!(c.0.len(), 2);
        assert_eq!(c.0.get("get_object"), Some(&(10.0, 0.002)));
        assert_eq!(
            parse("# nothing\nossd_requests_total 3\n"),
            Counters::default()
        );
        assert_eq!(
            label(r#"a="x", op="put_object"}"#, "op"),
            Some("put_object")
        );
    }

    #[test]
    fn per_request_differences_largest_time_first() {
        let work = parse(BEFORE).per_request(&parse(AFTER), 100).expect("work");
        assert_eq!(work.ops.len(), 3);
        assert_eq!(work.ops[0].op, "get_object");
        assert!((work.ops[0].round_trips - 1.0).abs() < 1e-9);
        assert!((work.ops[0].ms - 0.3).abs() < 1e-9);
        assert!((work.round_trips - 2.01).abs() < 1e-9);
        assert!((work.ms - 0.505).abs() < 1e-9);
        assert!(work.text().starts_with("2.01 round trips, 0.505 ms"));
        assert_eq!(parse(BEFORE).per_request(&parse(BEFORE), 100), None);
        assert_eq!(parse(BEFORE).per_request(&parse(AFTER), 0), None);
    }

    #[test]
    fn nodes_add_up() {
        let mut sum = parse(BEFORE);
        sum.add(&parse(BEFORE));
        assert_eq!(sum.0.get("get_bucket"), Some(&(20.0, 0.002)));
    }
}
