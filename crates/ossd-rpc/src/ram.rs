//! RAM on the wire: the JSON bodies of [`RamOutcome`]s as the RAM API reference documents
//! them (<https://api.aliyun.com/document/Ram/2015-05-01/overview>): lists wrapped as
//! `{"Users":{"User":[…]}}` (also when empty), optional strings left out when empty,
//! timestamps as `YYYY-MM-DDThh:mm:ssZ`, `IsTruncated` / `Marker` on paged lists.

use crate::json::timestamp;
use ossd_iam::{AccessKey, Listed, RamOutcome, User};
use serde_json::{Map, Value};

/// The response body of `outcome`, without `RequestId`.
pub fn body(outcome: &RamOutcome) -> Value {
    let mut body = Map::new();
    match outcome {
        RamOutcome::UserCreated(u) => {
            body.insert("User".to_owned(), user(u, false));
        }
        RamOutcome::User(u) => {
            body.insert("User".to_owned(), user(u, true));
        }
        RamOutcome::Users(page) => {
            let users = page.items.iter().map(|u| user(u, true)).collect();
            body.insert("Users".to_owned(), wrapped("User", users));
            paged(&mut body, page);
        }
        RamOutcome::AccessKeyCreated(new) => {
            let mut key = access_key(&new.key);
            key.insert(
                "AccessKeySecret".to_owned(),
                new.secret.as_str().to_owned().into(),
            );
            body.insert("AccessKey".to_owned(), Value::Object(key));
        }
        RamOutcome::AccessKeys(keys) => {
            let keys = keys.iter().map(|k| Value::Object(access_key(k))).collect();
            body.insert("AccessKeys".to_owned(), wrapped("AccessKey", keys));
        }
        RamOutcome::AccessKeyLastUsed(used) => {
            let mut last = Map::new();
            if let Some(at) = used {
                last.insert("LastUsedDate".to_owned(), timestamp(*at).into());
            }
            body.insert("AccessKeyLastUsed".to_owned(), Value::Object(last));
        }
        RamOutcome::Json(v) => return v.clone(),
        // `Done`, and whatever a later outcome adds before it is rendered here.
        _ => {}
    }
    Value::Object(body)
}

/// A user; `updated`: with `UpdateDate` (all but CreateUser).
fn user(u: &User, updated: bool) -> Value {
    let mut obj = Map::new();
    obj.insert("UserName".to_owned(), u.name.as_str().into());
    obj.insert("UserId".to_owned(), u.id.as_str().into());
    let optional = [
        ("DisplayName", &u.display_name),
        ("Comments", &u.comments),
        ("Email", &u.email),
        ("MobilePhone", &u.mobile_phone),
    ];
    for (name, value) in optional {
        if !value.is_empty() {
            obj.insert(name.to_owned(), value.as_str().into());
        }
    }
    obj.insert("CreateDate".to_owned(), timestamp(u.created).into());
    if updated {
        obj.insert("UpdateDate".to_owned(), timestamp(u.updated).into());
    }
    Value::Object(obj)
}

/// An AccessKey (never the secret).
fn access_key(k: &AccessKey) -> Map<String, Value> {
    let mut obj = Map::new();
    obj.insert("AccessKeyId".to_owned(), k.id.as_str().into());
    let status = if k.active { "Active" } else { "Inactive" };
    obj.insert("Status".to_owned(), status.into());
    obj.insert("CreateDate".to_owned(), timestamp(k.created).into());
    obj
}

/// `{"Inner":[items]}`, the value of a list's outer key.
fn wrapped(inner: &str, items: Vec<Value>) -> Value {
    let mut list = Map::new();
    list.insert(inner.to_owned(), Value::Array(items));
    Value::Object(list)
}

/// `IsTruncated` and, when truncated, `Marker`.
fn paged<T>(body: &mut Map<String, Value>, page: &Listed<T>) {
    body.insert("IsTruncated".to_owned(), page.marker.is_some().into());
    if let Some(marker) = &page.marker {
        body.insert("Marker".to_owned(), marker.as_str().into());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_lists_keep_their_shape() {
        let page = Listed {
            items: Vec::new(),
            marker: None,
        };
        let body = body(&RamOutcome::Users(page));
        assert_eq!(
            body.to_string(),
            r#"{"IsTruncated":false,"Users":{"User":[]}}"#
        );
        assert_eq!(
            super::body(&RamOutcome::AccessKeyLastUsed(None)).to_string(),
            r#"{"AccessKeyLastUsed":{}}"#
        );
        assert_eq!(super::body(&RamOutcome::Done).to_string(), "{}");
    }

    #[test]
    fn created_users_have_no_update_date() {
        let u = User {
            name: "alice".to_owned(),
            id: "2001".to_owned(),
            display_name: String::new(),
            comments: "c".to_owned(),
            email: String::new(),
            mobile_phone: String::new(),
            created: 0,
            updated: 60,
        };
        let created = body(&RamOutcome::UserCreated(u.clone()));
        assert_eq!(
            created.to_string(),
            r#"{"User":{"Comments":"c","CreateDate":"1970-01-01T00:00:00Z","UserId":"2001","UserName":"alice"}}"#
        );
        let got = body(&RamOutcome::User(u));
        assert_eq!(got["User"]["UpdateDate"], "1970-01-01T00:01:00Z");
    }
}
