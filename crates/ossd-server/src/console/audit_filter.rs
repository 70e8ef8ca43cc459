//! The audit view's filters and pages over the records `GET /-/admin/audit?tail=N` returns
//! (docs/admin.md, "Audit trail"): by principal, action, outcome and time, newest first.

use ossd_audit::{AuditRecord, Decision};

/// Records per page of the audit view.
pub(crate) const PAGE_SIZE: usize = 50;

/// The audit view's filters (its query string): every field optional, as a plain GET form
/// sends it.
#[derive(Debug, Clone, Default)]
pub(crate) struct AuditQuery {
    /// Part of the principal's ARN or AccessKey id (case-insensitive).
    pub(crate) principal: String,
    /// Part of the action, e.g. `oss:GetObject` or `ram:` (case-insensitive).
    pub(crate) action: String,
    /// `allow`, `deny`, `error`, or empty for all.
    pub(crate) outcome: String,
    /// Records at or after this time (an RFC 3339 prefix such as `2025-01-02T03:04`).
    pub(crate) since: String,
    /// Records before this time (same form).
    pub(crate) until: String,
    /// The page, from 1.
    pub(crate) page: Option<usize>,
}

impl AuditQuery {
    /// Whether `r` passes every filter that is set.
    pub(crate) fn matches(&self, r: &AuditRecord) -> bool {
        let principal = self.principal.trim().to_ascii_lowercase();
        let action = self.action.trim().to_ascii_lowercase();
        let since = self.since.trim();
        let until = self.until.trim();
        let who = |s: &Option<String>| {
            s.as_deref()
                .is_some_and(|s| s.to_ascii_lowercase().contains(&principal))
        };
        (principal.is_empty()
            || who(&r.principal.arn)
            || who(&r.principal.access_key_id)
            || r.principal.kind.to_ascii_lowercase().contains(&principal))
            && (action.is_empty() || r.action.to_ascii_lowercase().contains(&action))
            && self.outcome().is_none_or(|d| d == r.decision)
            // The times are all `YYYY-MM-DDTHH:MM:SS.mmmZ`: comparing strings compares times,
            // and a shorter prefix bounds at its own precision.
            && (since.is_empty() || r.time.as_str() >= since)
            && (until.is_empty() || r.time.as_str() < until)
    }

    /// The outcome filter, `None` for all.
    pub(crate) fn outcome(&self) -> Option<Decision> {
        match self.outcome.trim() {
            "allow" => Some(Decision::Allow),
            "deny" => Some(Decision::Deny),
            "error" => Some(Decision::Error),
            _ => None,
        }
    }

    /// The page asked for, from 1.
    pub(crate) fn page(&self) -> usize {
        self.page.unwrap_or(1).max(1)
    }
}

/// One page of matching records, newest first.
#[derive(Debug, Clone, Default)]
pub(crate) struct AuditPage {
    /// The records of the page.
    pub(crate) records: Vec<AuditRecord>,
    /// The page number shown (from 1).
    pub(crate) page: usize,
    /// How many records matched in all.
    pub(crate) matched: usize,
    /// Whether a later page (older records) exists.
    pub(crate) has_next: bool,
}

/// Filters `records` (oldest first, as the trail stores them) and cuts page `query.page()`
/// of [`PAGE_SIZE`] records, newest first.
pub(crate) fn page(records: Vec<AuditRecord>, query: &AuditQuery) -> AuditPage {
    let page = query.page();
    let matching: Vec<AuditRecord> = records
        .into_iter()
        .rev()
        .filter(|r| query.matches(r))
        .collect();
    let matched = matching.len();
    let start = (page - 1).saturating_mul(PAGE_SIZE);
    let records: Vec<AuditRecord> = matching.into_iter().skip(start).take(PAGE_SIZE).collect();
    AuditPage {
        has_next: start.saturating_add(records.len()) < matched,
        records,
        page,
        matched,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ossd_audit::{Kind, Principal};

    fn record(i: usize, action: &str, decision: Decision, arn: &str) -> AuditRecord {
        let mut r = AuditRecord::now(Kind::Oss, action, decision);
        r.time = format!("2025-01-02T03:{:02}:00.000Z", i % 60);
        r.principal = Principal {
            kind: "SubUser".to_owned(),
            arn: Some(arn.to_owned()),
            access_key_id: Some(format!("LTAI{i}")),
        };
        r.request_id = i.to_string();
        r
    }

    fn q() -> AuditQuery {
        AuditQuery::default()
    }

    #[test]
    fn filters_by_principal_action_outcome_and_time() {
        let alice = "acs:ram::1:user/alice";
        let bob = "acs:ram::1:user/bob";
        let records = vec![
            record(1, "oss:GetObject", Decision::Deny, alice),
            record(2, "ram:CreateUser", Decision::Allow, bob),
            record(3, "oss:DeleteObject", Decision::Deny, bob),
        ];
        let ids = |q: &AuditQuery| -> Vec<String> {
            page(records.clone(), q)
                .records
                .into_iter()
                .map(|r| r.request_id)
                .collect()
        };
        assert_eq!(ids(&q()), ["3", "2", "1"], "newest first");
        let by_user = AuditQuery {
            principal: "BOB".to_owned(),
            ..q()
        };
        assert_eq!(ids(&by_user), ["3", "2"]);
        let by_key = AuditQuery {
            principal: "ltai1".to_owned(),
            ..q()
        };
        assert_eq!(ids(&by_key), ["1"]);
        let denials = AuditQuery {
            outcome: "deny".to_owned(),
            action: "oss:".to_owned(),
            ..q()
        };
        assert_eq!(ids(&denials), ["3", "1"]);
        let window = AuditQuery {
            since: "2025-01-02T03:02".to_owned(),
            until: "2025-01-02T03:03".to_owned(),
            ..q()
        };
        assert_eq!(ids(&window), ["2"]);
    }

    #[test]
    fn pages_newest_first() {
        let records: Vec<_> = (0..120)
            .map(|i| record(i, "oss:GetObject", Decision::Deny, "a"))
            .collect();
        let first = page(records.clone(), &q());
        assert_eq!(first.records.len(), PAGE_SIZE);
        assert_eq!(first.records[0].request_id, "119");
        assert!(first.has_next);
        assert_eq!(first.matched, 120);
        let third = page(
            records.clone(),
            &AuditQuery {
                page: Some(3),
                ..q()
            },
        );
        assert_eq!(third.records.len(), 20);
        assert_eq!(third.records[19].request_id, "0");
        assert!(!third.has_next);
        let beyond = page(
            records,
            &AuditQuery {
                page: Some(9),
                ..q()
            },
        );
        assert!(beyond.records.is_empty() && !beyond.has_next);
    }
}
