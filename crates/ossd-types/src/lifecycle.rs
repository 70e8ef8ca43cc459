//! Bucket lifecycle rules: the model shared by the XML layer (`PutBucketLifecycle`), the engine
//! that applies them and the server, plus the pure matching of a rule against an object version
//! or a multipart upload.
//!
//! Time is counted in lifecycle "days" of [`LifecycleTime::day_ms`] milliseconds (a real day in
//! production; a second or so in tests).

use crate::StorageClass;

/// Milliseconds in a real day.
pub const DAY_MS: i64 = 86_400_000;

/// When an age-based action applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AgeLimit {
    /// More than this many lifecycle days (at least 1) after the reference time.
    Days(u32),
    /// Reference time strictly before this instant (Unix milliseconds, midnight UTC).
    CreatedBefore(i64),
    /// `<Date>` (S3, and OSS's older form): from this instant on (Unix milliseconds, midnight
    /// UTC), whatever the reference time.
    OnDate(i64),
}

/// `<Transition>` or `<NoncurrentVersionTransition>`: move matching versions to a colder
/// storage class once `limit` is reached (for noncurrent versions always [`AgeLimit::Days`],
/// counted from when the version became noncurrent).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Transition {
    /// When.
    pub limit: AgeLimit,
    /// The target class (never Standard).
    pub class: StorageClass,
    /// `<IsAccessTime>` as sent (only `false` is accepted: ossd does not track access times).
    pub is_access_time: Option<bool>,
    /// `<ReturnToStdWhenVisit>` as sent (stored and returned; it matters only with access time).
    pub return_to_std_when_visit: Option<bool>,
    /// `<AllowSmallFile>` as sent (stored and returned; it matters only with access time).
    pub allow_small_file: Option<bool>,
    /// The storage class as S3 named it when the rule was put with one of S3's names (e.g.
    /// `GLACIER_IR`, stored as [`StorageClass::Ia`]): S3's GetBucketLifecycleConfiguration
    /// returns the name that was put.
    pub s3_class: Option<&'static str>,
    /// S3's `<NewerNoncurrentVersions>` of a `<NoncurrentVersionTransition>`: how many of the
    /// newest noncurrent versions of a key the transition spares.
    pub newer_noncurrent: Option<u32>,
}

impl Transition {
    /// A transition with none of the access-time flags.
    pub fn new(limit: AgeLimit, class: StorageClass) -> Self {
        Self {
            limit,
            class,
            is_access_time: None,
            return_to_std_when_visit: None,
            allow_small_file: None,
            s3_class: None,
            newer_noncurrent: None,
        }
    }
}

/// How cold a storage class is: Standard 0, IA 1, Archive 2, Cold Archive 3, Deep Cold Archive
/// 4. Lifecycle transitions only ever move a version to a colder class.
pub fn coldness(class: StorageClass) -> u8 {
    match class {
        StorageClass::Standard => 0,
        StorageClass::Ia => 1,
        StorageClass::Archive => 2,
        StorageClass::ColdArchive => 3,
        StorageClass::DeepColdArchive => 4,
    }
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

/// How a rule named the objects it selects when it was put, so that S3's
/// GetBucketLifecycleConfiguration returns it in that form (docs/s3.md, "Lifecycle").
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum RuleForm {
    /// A top-level `<Prefix>` (OSS's form and S3's older one), or neither it nor a `<Filter>`;
    /// also every rule stored before the form was kept.
    #[default]
    Prefix,
    /// S3's `<Filter>`, with no top-level `<Prefix>`.
    Filter {
        /// Whether the conditions were inside an `<And>`.
        and: bool,
        /// Whether the filter (or its `<And>`) had a `<Prefix>` element, empty or not.
        prefix: bool,
    },
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
    /// `<NoncurrentVersionExpiration><NewerNoncurrentVersions>` (S3): how many of the newest
    /// noncurrent versions of a key `noncurrent_days` spares.
    pub newer_noncurrent: Option<u32>,
    /// The form the rule was put in (how S3 returns it).
    pub form: RuleForm,
    /// `<AbortMultipartUpload>`.
    pub abort_uploads: Option<AgeLimit>,
    /// `<Transition>` elements (current versions).
    pub transitions: Vec<Transition>,
    /// `<NoncurrentVersionTransition>` elements (noncurrent versions; limits in days).
    pub noncurrent_transitions: Vec<Transition>,
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
            AgeLimit::OnDate(date_ms) => self.now_ms >= date_ms,
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

    /// How many conditions S3's `<Filter>` names for this rule: a non-empty prefix, each tag,
    /// each size bound (more than one needs an `<And>`).
    pub fn filter_conditions(&self) -> usize {
        let sizes = self.filter.as_ref().map_or(0, |f| {
            usize::from(f.size_greater_than.is_some()) + usize::from(f.size_less_than.is_some())
        });
        usize::from(!self.prefix.is_empty()) + self.tags.len() + sizes
    }

    /// The limit after which current versions expire, if the rule has one.
    pub fn expiration_limit(&self) -> Option<AgeLimit> {
        match self.expiration {
            Some(Expiration::After(limit)) => Some(limit),
            _ => None,
        }
    }

    /// The coldest class of the rule's transitions whose limit has been reached since
    /// `since_ms`, if any: its `Transition`s for a current version (`newer` is `None`), else its
    /// `NoncurrentVersionTransition`s for a noncurrent version with `newer` noncurrent versions
    /// of its key newer than it (those with `NewerNoncurrentVersions` K spare the K newest).
    pub fn transition_due(
        &self,
        time: &LifecycleTime,
        since_ms: i64,
        newer: Option<u32>,
    ) -> Option<StorageClass> {
        let list = match newer {
            Some(_) => &self.noncurrent_transitions,
            None => &self.transitions,
        };
        list.iter()
            .filter(|t| time.reached(t.limit, since_ms))
            .filter(|t| match (t.newer_noncurrent, newer) {
                (Some(keep), Some(newer)) => newer >= keep,
                _ => true,
            })
            .map(|t| t.class)
            .max_by_key(|c| coldness(*c))
    }

    /// Whether the rule removes delete markers that are the only version of their key.
    pub fn removes_lone_markers(&self) -> bool {
        self.expiration == Some(Expiration::DeleteMarker(true))
    }
}

/// When the current object version `s`, last modified at `modified_ms`, will expire under
/// `rules`, and the id of the rule that expires it first: what S3's `x-amz-expiration` header
/// reports ("expiry-date" and "rule-id", docs/s3.md). A `Days` rule expires it that many
/// lifecycle days after `modified_ms`, rounded up to the next day boundary (midnight UTC with
/// real days), as AWS documents for the header; a `Date` rule on its date. `CreatedBeforeDate`
/// rules (an OSS form without a date of its own) give none.
pub fn expiry<'r>(
    rules: &'r [LifecycleRule],
    s: Subject<'_>,
    modified_ms: i64,
    day_ms: i64,
) -> Option<(i64, &'r str)> {
    let day = day_ms.max(1);
    rules
        .iter()
        .filter(|r| r.selects(s))
        .filter_map(|r| {
            let at = match r.expiration_limit()? {
                AgeLimit::Days(d) => {
                    let due = modified_ms.saturating_add(i64::from(d).saturating_mul(day));
                    due.div_euclid(day).saturating_add(1).saturating_mul(day)
                }
                AgeLimit::OnDate(ms) => ms,
                AgeLimit::CreatedBefore(_) => return None,
            };
            Some((at, r.id.as_str()))
        })
        .min_by_key(|(at, _)| *at)
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
        assert!(t.reached(AgeLimit::OnDate(10_000), 9_999_999));
        assert!(!t.reached(AgeLimit::OnDate(10_001), 0));
        assert!(LifecycleTime::real(0).reached(AgeLimit::Days(u32::MAX), i64::MIN));
        assert!(!LifecycleTime::real(0).reached(AgeLimit::Days(1), 0));
    }

    #[test]
    fn transitions_pick_the_coldest_class_due() {
        let mut rule = LifecycleRule {
            enabled: true,
            transitions: vec![
                Transition::new(AgeLimit::Days(1), StorageClass::Ia),
                Transition::new(AgeLimit::Days(3), StorageClass::Archive),
            ],
            noncurrent_transitions: vec![Transition::new(
                AgeLimit::Days(2),
                StorageClass::ColdArchive,
            )],
            ..LifecycleRule::default()
        };
        let at = |day: i64| LifecycleTime {
            now_ms: day * 1_000,
            day_ms: 1_000,
        };
        assert_eq!(rule.transition_due(&at(0), 0, None), None);
        assert_eq!(rule.transition_due(&at(2), 0, None), Some(StorageClass::Ia));
        assert_eq!(
            rule.transition_due(&at(5), 0, None),
            Some(StorageClass::Archive)
        );
        assert_eq!(rule.transition_due(&at(1), 0, Some(0)), None);
        assert_eq!(
            rule.transition_due(&at(2), 0, Some(0)),
            Some(StorageClass::ColdArchive)
        );
        // NewerNoncurrentVersions 2: the two newest noncurrent versions stay where they are.
        rule.noncurrent_transitions[0].newer_noncurrent = Some(2);
        assert_eq!(rule.transition_due(&at(2), 0, Some(1)), None);
        assert_eq!(
            rule.transition_due(&at(2), 0, Some(2)),
            Some(StorageClass::ColdArchive)
        );
        assert!(coldness(StorageClass::Standard) < coldness(StorageClass::DeepColdArchive));
    }

    #[test]
    fn expiry_dates() {
        let rule = |id: &str, prefix: &str, limit: AgeLimit| LifecycleRule {
            id: id.to_owned(),
            prefix: prefix.to_owned(),
            enabled: true,
            expiration: Some(Expiration::After(limit)),
            ..LifecycleRule::default()
        };
        let rules = [
            rule("long", "", AgeLimit::Days(3)),
            rule("short", "a/", AgeLimit::Days(1)),
            rule("created", "", AgeLimit::CreatedBefore(0)),
        ];
        // Modified at 05:00 on day 10: one day later, rounded up to midnight of day 12.
        let modified = 10 * DAY_MS + 5 * 3_600_000;
        let got = expiry(&rules, object("a/k", &[], 1), modified, DAY_MS);
        assert_eq!(got, Some((12 * DAY_MS, "short")));
        let got = expiry(&rules, object("b/k", &[], 1), modified, DAY_MS);
        assert_eq!(got, Some((14 * DAY_MS, "long")));
        let dated = [rule("d", "", AgeLimit::OnDate(DAY_MS))];
        assert_eq!(
            expiry(&dated, object("k", &[], 1), modified, DAY_MS),
            Some((DAY_MS, "d"))
        );
        assert_eq!(expiry(&rules[2..], object("k", &[], 1), 0, DAY_MS), None);
    }
}
