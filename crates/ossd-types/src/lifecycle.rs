//! Bucket lifecycle rules: the model shared by the XML layer (`PutBucketLifecycle`), the engine
//! that applies them and the server, plus the pure matching of a rule against an object version
//! or a multipart upload.
//!
//! Time is counted in lifecycle "days" of [`LifecycleTime::day_ms`] milliseconds (a real day in
//! production; a second or so in tests).

/// Milliseconds in a real day.
pub const DAY_MS: i64 = 86_400_000;

/// When an age-based action applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AgeLimit {
    /// More than this many lifecycle days (at least 1) after the reference time.
    Days(u32),
    /// Reference time strictly before this instant (Unix milliseconds, midnight UTC).
    CreatedBefore(i64),
}

/// What `<Expiration>` asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expiration {
    /// Delete the current version (as a plain DeleteObject) once it reaches the limit.
    After(AgeLimit),
    /// `<ExpiredObjectDeleteMarker>`: remove a delete marker that is the only version left.
    DeleteMarker(bool),
}

/// One `<Not>` of a `<Filter>`: objects under `prefix` (and carrying `tag`, when given) are
/// excluded from the rule.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FilterNot {
    /// Excluded key prefix.
    pub prefix: String,
    /// Only exclude objects that also carry this tag.
    pub tag: Option<(String, String)>,
}

/// `<Filter>`: extra conditions besides the prefix and tags.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LifecycleFilter {
    /// Only objects strictly larger than this many bytes.
    pub size_greater_than: Option<u64>,
    /// Only objects strictly smaller than this many bytes.
    pub size_less_than: Option<u64>,
    /// Exclusions.
    pub not: Vec<FilterNot>,
}

/// One `<Rule>` of a bucket's lifecycle configuration.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LifecycleRule {
    /// Unique id within the configuration.
    pub id: String,
    /// Key prefix the rule applies to (empty: every key).
    pub prefix: String,
    /// `<Status>Enabled</Status>`; disabled rules are kept but never applied.
    pub enabled: bool,
    /// Tags an object must all carry (`<Tag>` elements).
    pub tags: Vec<(String, String)>,
    /// `<Filter>`, when given.
    pub filter: Option<LifecycleFilter>,
    /// `<Expiration>`.
    pub expiration: Option<Expiration>,
    /// `<NoncurrentVersionExpiration><NoncurrentDays>`.
    pub noncurrent_days: Option<u32>,
    /// `<AbortMultipartUpload>`.
    pub abort_uploads: Option<AgeLimit>,
}

/// "Now" for a lifecycle run, and how long a lifecycle day is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LifecycleTime {
    /// The current time, Unix milliseconds.
    pub now_ms: i64,
    /// Milliseconds per lifecycle day (at least 1).
    pub day_ms: i64,
}

impl LifecycleTime {
    /// `now_ms` with real days.
    pub fn real(now_ms: i64) -> Self {
        Self {
            now_ms,
            day_ms: DAY_MS,
        }
    }

    /// Whether something whose reference time is `since_ms` has reached `limit`.
    pub fn reached(&self, limit: AgeLimit, since_ms: i64) -> bool {
        match limit {
            AgeLimit::Days(days) => self.days_passed(since_ms, days),
            AgeLimit::CreatedBefore(date_ms) => since_ms < date_ms,
        }
    }

    /// Whether at least `days` lifecycle days have passed since `since_ms`.
    pub fn days_passed(&self, since_ms: i64, days: u32) -> bool {
        let span = i64::from(days).saturating_mul(self.day_ms.max(1));
        self.now_ms.saturating_sub(since_ms) >= span
    }
}

/// What a rule is matched against: an object version, a delete marker or an upload.
#[derive(Debug, Clone, Copy)]
pub struct Subject<'a> {
    /// The key.
    pub key: &'a str,
    /// Its tags (none for delete markers and uploads).
    pub tags: &'a [(String, String)],
    /// Its size, for object versions; `None` for delete markers and uploads, which size filters
    /// do not apply to.
    pub size: Option<u64>,
}

impl LifecycleRule {
    /// Whether the rule is enabled and selects `s`: the key is under the prefix and not excluded
    /// by a `<Not>`, the object carries every rule tag, and its size is within the filter. Rules
    /// with tags never select delete markers or uploads (they have no tags).
    pub fn selects(&self, s: Subject<'_>) -> bool {
        if !self.enabled || !s.key.starts_with(&self.prefix) {
            return false;
        }
        if !self.tags.iter().all(|t| has_tag(s.tags, t)) {
            return false;
        }
        let Some(filter) = &self.filter else {
            return true;
        };
        let excluded = filter.not.iter().any(|n| {
            s.key.starts_with(&n.prefix) && n.tag.as_ref().is_none_or(|t| has_tag(s.tags, t))
        });
        if excluded {
            return false;
        }
        match s.size {
            Some(size) => {
                filter.size_greater_than.is_none_or(|min| size > min)
                    && filter.size_less_than.is_none_or(|max| size < max)
            }
            None => true,
        }
    }

    /// The limit after which current versions expire, if the rule has one.
    pub fn expiration_limit(&self) -> Option<AgeLimit> {
        match self.expiration {
            Some(Expiration::After(limit)) => Some(limit),
            _ => None,
        }
    }

    /// Whether the rule removes delete markers that are the only version of their key.
    pub fn removes_lone_markers(&self) -> bool {
        self.expiration == Some(Expiration::DeleteMarker(true))
    }
}

fn has_tag(tags: &[(String, String)], wanted: &(String, String)) -> bool {
    tags.iter().any(|t| t == wanted)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tag(k: &str, v: &str) -> (String, String) {
        (k.to_owned(), v.to_owned())
    }

    fn object<'a>(key: &'a str, tags: &'a [(String, String)], size: u64) -> Subject<'a> {
        Subject {
            key,
            tags,
            size: Some(size),
        }
    }

    #[test]
    fn prefix_tags_and_status() {
        let mut rule = LifecycleRule {
            prefix: "logs/".to_owned(),
            enabled: true,
            tags: vec![tag("t", "1")],
            ..LifecycleRule::default()
        };
        let tagged = [tag("t", "1"), tag("u", "2")];
        assert!(rule.selects(object("logs/a", &tagged, 1)));
        assert!(!rule.selects(object("data/a", &tagged, 1)));
        assert!(!rule.selects(object("logs/a", &[tag("t", "2")], 1)));
        let marker = Subject {
            key: "logs/a",
            tags: &[],
            size: None,
        };
        assert!(!rule.selects(marker), "tag rules skip markers");
        rule.tags.clear();
        assert!(rule.selects(marker));
        rule.enabled = false;
        assert!(!rule.selects(object("logs/a", &tagged, 1)));
    }

    #[test]
    fn filter_not_and_sizes() {
        let rule = LifecycleRule {
            enabled: true,
            filter: Some(LifecycleFilter {
                size_greater_than: Some(10),
                size_less_than: Some(100),
                not: vec![
                    FilterNot {
                        prefix: "keep/".to_owned(),
                        tag: None,
                    },
                    FilterNot {
                        prefix: "tmp/".to_owned(),
                        tag: Some(tag("keep", "yes")),
                    },
                ],
            }),
            ..LifecycleRule::default()
        };
        assert!(rule.selects(object("a", &[], 50)));
        assert!(!rule.selects(object("a", &[], 10)), "strictly greater");
        assert!(!rule.selects(object("a", &[], 100)), "strictly less");
        assert!(!rule.selects(object("keep/a", &[], 50)));
        assert!(rule.selects(object("tmp/a", &[], 50)));
        assert!(!rule.selects(object("tmp/a", &[tag("keep", "yes")], 50)));
        let upload = Subject {
            key: "a",
            tags: &[],
            size: None,
        };
        assert!(rule.selects(upload), "size filters do not apply to uploads");
    }

    #[test]
    fn ages() {
        let t = LifecycleTime {
            now_ms: 10_000,
            day_ms: 1_000,
        };
        assert!(t.reached(AgeLimit::Days(2), 8_000));
        assert!(!t.reached(AgeLimit::Days(2), 8_001));
        assert!(t.reached(AgeLimit::CreatedBefore(5_000), 4_999));
        assert!(!t.reached(AgeLimit::CreatedBefore(5_000), 5_000));
        assert!(LifecycleTime::real(0).reached(AgeLimit::Days(u32::MAX), i64::MIN));
        assert!(!LifecycleTime::real(0).reached(AgeLimit::Days(1), 0));
    }
}
