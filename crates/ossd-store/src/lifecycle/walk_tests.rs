//! The walk's decisions on hand-made version lists (time in units of one lifecycle day = 1000 ms).

use super::*;
use ossd_meta::DataRef;
use ossd_types::lifecycle::{AgeLimit, Expiration, Transition};
use ossd_types::{ObjectAcl, ObjectType, StorageClass};

const DAY: i64 = 1000;

fn version(key: &str, id: &str, day: i64, marker: bool) -> ObjectRecord {
    ObjectRecord {
        bucket: "b".into(),
        key: key.into(),
        version_id: id.into(),
        revision: format!("r-{id}"),
        delete_marker: marker,
        size: if marker { 0 } else { 10 },
        etag: String::new(),
        crc64: 0,
        last_modified_ms: day * DAY,
        object_type: ObjectType::Normal,
        storage_class: StorageClass::Standard,
        acl: ObjectAcl::Default,
        headers: vec![],
        user_meta: vec![],
        tags: vec![],
        symlink_target: None,
        data: DataRef::Inline(Default::default()),
        restore: None,
        checksum: None,
        parts: Vec::new(),
    }
}

fn rule(prefix: &str) -> LifecycleRule {
    LifecycleRule {
        id: "r".into(),
        prefix: prefix.into(),
        enabled: true,
        ..LifecycleRule::default()
    }
}

/// Runs the walk at day `today` over `versions` and names the actions `kind:key:id`.
fn run(rules: &[LifecycleRule], today: i64, versions: &[ObjectRecord]) -> Vec<String> {
    let time = LifecycleTime {
        now_ms: today * DAY,
        day_ms: DAY,
    };
    let mut walk = Walk::new(rules, time);
    let mut out = Vec::new();
    for v in versions {
        walk.feed(v, &mut out);
    }
    walk.finish(&mut out);
    out.iter()
        .map(|a| {
            let (kind, t) = match a {
                Action::Expire(t) => ("expire".to_owned(), t),
                Action::RemoveVersion(t) => ("remove".to_owned(), t),
                Action::RemoveMarker(t) => ("marker".to_owned(), t),
                Action::Transition(t, class) => (format!("to-{}", class.as_str()), t),
            };
            format!("{kind}:{}:{}", t.key, t.version_id)
        })
        .collect()
}

#[test]
fn current_versions_expire_after_days_or_date() {
    let mut days = rule("logs/");
    days.expiration = Some(Expiration::After(AgeLimit::Days(2)));
    let versions = [
        version("data/x", "1", 0, false),
        version("logs/a", "1", 9, false),
        version("logs/b", "1", 7, false),
    ];
    assert_eq!(run(&[days], 10, &versions), ["expire:logs/b:1"]);
    let mut date = rule("");
    date.expiration = Some(Expiration::After(AgeLimit::CreatedBefore(5 * DAY)));
    assert_eq!(run(&[date], 10, &versions), ["expire:data/x:1"]);
}

#[test]
fn noncurrent_versions_count_from_their_successor() {
    let mut r = rule("");
    r.noncurrent_days = Some(3);
    let versions = [
        version("k", "3", 9, false), // current since day 9
        version("k", "2", 5, true),  // noncurrent since day 9: kept
        version("k", "1", 1, false), // noncurrent since day 5: removed
    ];
    assert_eq!(run(std::slice::from_ref(&r), 10, &versions), ["remove:k:1"]);
    assert_eq!(run(&[r], 12, &versions), ["remove:k:2", "remove:k:1"]);
}

#[test]
fn newer_noncurrent_versions_are_spared() {
    let mut r = rule("");
    r.noncurrent_days = Some(1);
    r.newer_noncurrent = Some(2);
    let versions = [
        version("k", "5", 9, false), // current
        version("k", "4", 7, false), // 1st noncurrent: spared
        version("k", "3", 5, true),  // 2nd noncurrent (a marker counts): spared
        version("k", "2", 3, false), // 3rd: removed
        version("k", "1", 1, false), // 4th: removed
        version("m", "1", 1, false), // another key: current
    ];
    assert_eq!(
        run(std::slice::from_ref(&r), 10, &versions),
        ["remove:k:2", "remove:k:1"]
    );
    // Four noncurrent versions, four spared: nothing is removed.
    r.newer_noncurrent = Some(4);
    assert!(run(&[r], 10, &versions).is_empty());
}

#[test]
fn newer_noncurrent_versions_keep_their_class() {
    let mut r = rule("");
    let mut to_ia = Transition::new(AgeLimit::Days(1), StorageClass::Ia);
    to_ia.newer_noncurrent = Some(1);
    r.noncurrent_transitions = vec![to_ia];
    let versions = [
        version("k", "3", 9, false), // current
        version("k", "2", 5, false), // 1st noncurrent: spared
        version("k", "1", 1, false), // 2nd: moves
    ];
    assert_eq!(run(&[r], 10, &versions), ["to-IA:k:1"]);
}

#[test]
fn lone_delete_markers_are_removed_once_alone() {
    let mut markers = rule("");
    markers.expiration = Some(Expiration::DeleteMarker(true));
    let lone = [version("a", "1", 1, true), version("b", "1", 1, false)];
    assert_eq!(
        run(std::slice::from_ref(&markers), 2, &lone),
        ["marker:a:1"]
    );
    let with_older = [version("a", "2", 5, true), version("a", "1", 1, false)];
    assert!(run(std::slice::from_ref(&markers), 6, &with_older).is_empty());
    // The older version goes in the same run: then the marker is alone.
    markers.noncurrent_days = Some(1);
    assert_eq!(
        run(&[markers], 6, &with_older),
        ["remove:a:1", "marker:a:2"]
    );
}

#[test]
fn disabled_rules_tags_and_other_rules() {
    let mut off = rule("");
    off.enabled = false;
    off.expiration = Some(Expiration::After(AgeLimit::Days(1)));
    let mut tagged = rule("");
    tagged.tags = vec![("t".into(), "1".into())];
    tagged.expiration = Some(Expiration::After(AgeLimit::Days(1)));
    let mut plain = version("k", "1", 0, false);
    assert!(run(&[off.clone(), tagged.clone()], 10, &[plain.clone()]).is_empty());
    plain.tags = vec![("t".into(), "1".into())];
    assert_eq!(run(&[off, tagged], 10, &[plain]), ["expire:k:1"]);
    // A latest marker never "expires" (it is not an object).
    let mut any = rule("");
    any.expiration = Some(Expiration::After(AgeLimit::Days(1)));
    assert!(run(&[any], 10, &[version("k", "1", 0, true)]).is_empty());
}

#[test]
fn transitions_only_ever_go_colder_and_yield_to_removal() {
    let mut r = rule("");
    r.transitions = vec![
        Transition::new(AgeLimit::Days(1), StorageClass::Ia),
        Transition::new(AgeLimit::Days(4), StorageClass::Archive),
    ];
    r.noncurrent_transitions = vec![Transition::new(AgeLimit::Days(1), StorageClass::Ia)];
    r.noncurrent_days = Some(5);
    let versions = [
        version("k", "3", 8, false), // current since day 8
        version("k", "2", 6, true),  // a marker: never transitioned
        version("k", "1", 1, false), // noncurrent since day 6
    ];
    let rules = std::slice::from_ref(&r);
    assert_eq!(run(rules, 9, &versions), ["to-IA:k:3", "to-IA:k:1"]);
    assert_eq!(run(rules, 12, &versions), ["to-Archive:k:3", "remove:k:1"]);
    // Already in that class or a colder one: nothing to do.
    let mut archived = version("a", "1", 0, false);
    archived.storage_class = StorageClass::ColdArchive;
    assert!(run(rules, 12, &[archived]).is_empty());
    // Expiration due: the version expires instead.
    r.expiration = Some(Expiration::After(AgeLimit::Days(2)));
    assert_eq!(run(&[r], 12, &versions[..1]), ["expire:k:3"]);
}
