//! RAM users (docs/console.md#identity): list, create, delete; a user's AccessKeys (created with
//! the secret shown once, activated, deactivated, deleted), groups and attached policies. Every
//! read and change is a RAM call through the session's caller.

use askama::Template;
use http::StatusCode;

use super::attach::Attachments;
use super::ram::{EntityRow, items, text};
use super::{Layout, Visit};
use crate::console::caller::{CallError, Product};
use crate::console::html;
use crate::transport::response::Resp;

/// The user list.
#[derive(Template)]
#[template(path = "console/users.html")]
struct UsersPage {
    layout: Layout,
    users: Result<Vec<EntityRow>, CallError>,
}

/// One user.
#[derive(Template)]
#[template(path = "console/user.html")]
struct UserPage {
    layout: Layout,
    name: String,
    user: EntityRow,
    keys: Result<Vec<KeyRow>, CallError>,
    groups: Result<Vec<EntityRow>, CallError>,
    all_groups: Vec<EntityRow>,
    attached: Attachments,
}

/// A new AccessKey, its secret shown this once.
#[derive(Template)]
#[template(path = "console/new_key.html")]
struct NewKeyPage {
    layout: Layout,
    user: String,
    id: String,
    secret: String,
}

/// An AccessKey as the user page lists it.
pub(crate) struct KeyRow {
    id: String,
    status: String,
    created: String,
}

/// GET `/users`.
pub(crate) async fn list(v: &Visit<'_>) -> Resp {
    let users = v
        .caller()
        .rpc(Product::Ram, "ListUsers", &[("MaxItems", "1000")])
        .await
        .map(|r| EntityRow::list(&r, "Users", "User", "UserName"));
    let page = UsersPage {
        layout: v.layout("identity", "RAM users"),
        users,
    };
    html::render(StatusCode::OK, &page)
}

/// POST `/users`: CreateUser.
pub(crate) async fn create(v: &Visit<'_>) -> Resp {
    let name = v.form.text("user_name");
    let mut params = vec![("UserName", name)];
    if let Some(d) = v.form.opt("display_name") {
        params.push(("DisplayName", d));
    }
    v.ram_then("CreateUser", &params, &format!("/-/console/users/{name}"))
        .await
}

/// GET `/users/<name>`.
pub(crate) async fn show(v: &Visit<'_>, name: &str) -> Resp {
    let caller = v.caller();
    let user = match caller
        .rpc(Product::Ram, "GetUser", &[("UserName", name)])
        .await
    {
        Ok(r) => r,
        Err(e) => return v.failure(&e, "/-/console/users"),
    };
    let user = EntityRow::list(
        &serde_json::json!({"U": {"u": user.get("User")}}),
        "U",
        "u",
        "UserName",
    )
    .pop()
    .unwrap_or(EntityRow {
        name: name.to_owned(),
        note: String::new(),
        date: String::new(),
    });
    let keys = caller
        .rpc(Product::Ram, "ListAccessKeys", &[("UserName", name)])
        .await
        .map(|r| {
            items(&r, "AccessKeys", "AccessKey")
                .into_iter()
                .map(|k| KeyRow {
                    id: text(k, "AccessKeyId"),
                    status: text(k, "Status"),
                    created: text(k, "CreateDate"),
                })
                .collect()
        });
    let groups = caller
        .rpc(Product::Ram, "ListGroupsForUser", &[("UserName", name)])
        .await
        .map(|r| EntityRow::list(&r, "Groups", "Group", "GroupName"));
    let all_groups = caller
        .rpc(Product::Ram, "ListGroups", &[("MaxItems", "1000")])
        .await
        .map(|r| EntityRow::list(&r, "Groups", "Group", "GroupName"))
        .unwrap_or_default();
    let attached = Attachments::load(v, "user", name).await;
    let page = UserPage {
        layout: v.layout("identity", format!("User {name}")),
        name: name.to_owned(),
        user,
        keys,
        groups,
        all_groups,
        attached,
    };
    html::render(StatusCode::OK, &page)
}

/// POST `/users/<name>/delete`.
pub(crate) async fn delete(v: &Visit<'_>, name: &str) -> Resp {
    match v
        .caller()
        .rpc(Product::Ram, "DeleteUser", &[("UserName", name)])
        .await
    {
        Ok(_) => html::redirect("/-/console/users"),
        Err(e) => v.failure(&e, &format!("/-/console/users/{name}")),
    }
}

/// POST `/users/<name>/keys`: CreateAccessKey; the secret is shown once, on this response.
pub(crate) async fn create_key(v: &Visit<'_>, name: &str) -> Resp {
    let back = format!("/-/console/users/{name}");
    match v
        .caller()
        .rpc(Product::Ram, "CreateAccessKey", &[("UserName", name)])
        .await
    {
        Ok(r) => {
            let key = r.get("AccessKey").cloned().unwrap_or_default();
            let page = NewKeyPage {
                layout: v.layout("identity", "New AccessKey"),
                user: name.to_owned(),
                id: text(&key, "AccessKeyId"),
                secret: text(&key, "AccessKeySecret"),
            };
            html::render(StatusCode::OK, &page)
        }
        Err(e) => v.failure(&e, &back),
    }
}

/// POST `/users/<name>/keys/<id>/status` (`status`: `Active` or `Inactive`): UpdateAccessKey.
pub(crate) async fn key_status(v: &Visit<'_>, name: &str, id: &str) -> Resp {
    let status = v.form.text("status");
    let params = [
        ("UserName", name),
        ("UserAccessKeyId", id),
        ("Status", status),
    ];
    v.ram_then(
        "UpdateAccessKey",
        &params,
        &format!("/-/console/users/{name}"),
    )
    .await
}

/// POST `/users/<name>/keys/<id>/delete`: DeleteAccessKey.
pub(crate) async fn delete_key(v: &Visit<'_>, name: &str, id: &str) -> Resp {
    let params = [("UserName", name), ("UserAccessKeyId", id)];
    v.ram_then(
        "DeleteAccessKey",
        &params,
        &format!("/-/console/users/{name}"),
    )
    .await
}

/// POST `/users/<name>/groups` (`group_name`): AddUserToGroup.
pub(crate) async fn join(v: &Visit<'_>, name: &str) -> Resp {
    let params = [("UserName", name), ("GroupName", v.form.text("group_name"))];
    v.ram_then(
        "AddUserToGroup",
        &params,
        &format!("/-/console/users/{name}"),
    )
    .await
}

/// POST `/users/<name>/groups/<group>/remove`: RemoveUserFromGroup.
pub(crate) async fn leave(v: &Visit<'_>, name: &str, group: &str) -> Resp {
    let params = [("UserName", name), ("GroupName", group)];
    v.ram_then(
        "RemoveUserFromGroup",
        &params,
        &format!("/-/console/users/{name}"),
    )
    .await
}
